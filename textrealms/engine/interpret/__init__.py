"""The offline interpreter: free text read as the game's commands, between the parser and
"I don't understand" (`line.play_line` is where a typed line is played).

It strips politeness and filler, knows how people phrase commands ("ask hobb what he
knows about the witch", "go to the tavern", "give hobb his daughter's locket"), splits a
line of several commands, forgives typos in verbs and nouns, and says what it understood:
"(taking the brass key ring)". Precision first: it never picks an action the player did
not mean; when unsure, it asks. The verbs and their synonyms are the registry's
(`textrealms.engine.verbs`): the interpreter adds readings, never verbs.
"""
