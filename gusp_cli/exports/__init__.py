"""Exchange with partners: Excel workbooks (openpyxl, imported lazily), iCalendar, and reading back."""
