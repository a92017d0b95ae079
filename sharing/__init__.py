"""Share with your doctor: an expiring, revocable, read-only link to one period of the
journal, opened without signing in, and a QR code of it to show at the visit."""
