"""Fake devices on real byte streams (loopback TCP, pseudo-terminals) for tests, the GUI and the demo."""
