"""The SOP catalogue: each SOP as data, the documents its steps make, and cases that carry one
request through its steps."""
