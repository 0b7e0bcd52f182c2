"""Receipt and kitchen printers that speak ESC/POS, on the network (raw TCP, port 9100) or USB.

What is printed is the same document the PDF archive holds, drawn as a 1-bit picture at the
printer's width (``raster``), so accents and every script come out as they do on screen.
``device`` talks to a printer through python-escpos (the ``printers`` extra); ``queue`` sends
jobs off the GUI thread and keeps those of a printer that does not answer until it is back.
``address`` and ``paper`` are plain Python: the settings check them without the extra or Qt.
"""
