"""PTCE Toolkit — cœur sans interface graphique.

Ce paquet ne dépend jamais de Qt : la ligne de commande et les exports l’utilisent
seuls, l’interface graphique (``ui``) s’appuie dessus.
"""

__version__ = "0.1.0"
