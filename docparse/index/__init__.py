"""The SQLite index of a corpus: the tables (store), the rows of one document (rows) and the incremental corpus
checks over them (groups). docparse.corpus.Corpus is the public face."""
