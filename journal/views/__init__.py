"""Views of the journal, one module per area. They stay thin: forms validate, services
(history, insights, report, exports) do the work, templates present it.

Every query of personal data is filtered by request.user; another person's object
is a 404, never a 403.
"""
