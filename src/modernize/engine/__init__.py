"""The engine: plan each file (run the migrations, splice their edits), prove it (re-parse, data
diff, second run), and run repositories, one or many, as batches; never prints."""
