"""From the files people collect to clean articles: decoding, HTML, Markdown, cleaning, import."""
