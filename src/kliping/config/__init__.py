"""What the user configures: settings and the keymap."""
