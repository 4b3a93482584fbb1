"""The reader's own widgets: the virtual article list and the line-by-line reader pane."""
