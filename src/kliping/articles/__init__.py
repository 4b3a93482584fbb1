"""What an article is once read: the model, its dates, its sentences and paragraphs."""
