"""The domain of CPSTI social action aids: pure Python, standard library only."""
