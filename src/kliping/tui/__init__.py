"""The full-screen reader (Textual). The only part of kliping that imports Textual."""
