"""The class demo: a page in the browser that shows a community recovering, or two side by side."""
