"""`carepath backup` and `carepath restore`: one file holding every table's raw rows, and its manifest."""
