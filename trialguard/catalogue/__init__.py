"""The rule catalogue: every rule of the specs, under the spec that defines or overrides it,
with its check kind, effective parameters, cited ids and an example finding from real reports;
written as Markdown for the documentation and as JSON.  The check kinds as a table too."""
