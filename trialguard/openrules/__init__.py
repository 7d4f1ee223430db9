"""CDISC's Open Rules (the CORE rule format), read from a folder the user gives and executed
on whole columns: the rule model, the Check tree, operators, operations, dataset matching,
scope and outcome, one module each.  `trialguard.openrules.rules.with_open_rules` makes them
rules of a run like any other."""
