"""Example reviews for the sentiment page, each showing something about the memory."""

#: Text -> what to look for.
EXAMPLES = {
    "I thought it would be bad, but it was wonderful.":
        "the memory swings twice; compare the three architectures on it",
    "This movie is not good.": "'good' alone reads positive; after 'not' the memory turns it negative",
    "I didn't LOVE it, but the acting was great.": "a contraction and capitals, then a 'but' that turns it",
    "The first hour is wonderful, then it turns into a boring, predictable mess.":
        "a good start the memory has to overwrite",
    "Not my favourite, but still a lovely film.": "a negative start, a positive end",
    "What a waste of a brilliant cast.": "a positive word inside a negative sentence",
    "Wow. Just wow. The ending made me cry (in a good way).": "punctuation and a late clarification",
    "This movie is not bad at all!": "a hard one: 'not bad' occurs only 7 times in SST-2's training "
                                     "phrases, so these small models still read it as negative",
}
