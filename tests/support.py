"""Helpers shared by the tests: the test password and small data builders."""

PASSWORD = "a-long-test-password-42"
