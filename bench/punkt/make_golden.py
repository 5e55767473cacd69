#!/usr/bin/python3
"""Prints the trained-Punkt golden cases of tests/golden/ops/sentence_split_mapper.jsonl.

Expectations: nltk 3.8's PunktSentenceTokenizer with the parameters of data/punkt/<lang>.punkt
loaded into PunktParameters (compare_nltk.load_params), joined with '\\n' as DJ's
get_sentences_from_document does. Also reports which of DJ's own unit-test targets
(tests/ops/mapper/test_sentence_split_mapper.py) these parameters reproduce (on stderr).
  bench/punkt/make_golden.py >> tests/golden/ops/sentence_split_mapper.jsonl"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from compare_nltk import load_params  # noqa: E402
from nltk.tokenize.punkt import PunktSentenceTokenizer  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DJ = {  # DJ's unit tests: lang -> (text, target)
    "en": ("Smithfield employs 3,700 people at its plant in Sioux Falls, South Dakota. The plant slaughters 19,500 pigs a day — 5 percent of U.S. pork.",
           "Smithfield employs 3,700 people at its plant in Sioux Falls, South Dakota.\nThe plant slaughters 19,500 pigs a day — 5 percent of U.S. pork."),
    "fr": ("Smithfield emploie 3,700 personnes dans son usine de Sioux Falls, dans le Dakota du Sud. L'usine abat 19 500 porcs par jour, soit 5 % du porc américain.",
           "Smithfield emploie 3,700 personnes dans son usine de Sioux Falls, dans le Dakota du Sud.\nL'usine abat 19 500 porcs par jour, soit 5 % du porc américain."),
    "pt": ("A Smithfield emprega 3.700 pessoas em sua fábrica em Sioux Falls, Dakota do Sul. A fábrica abate 19.500 porcos por dia – 5% da carne suína dos EUA.",
           "A Smithfield emprega 3.700 pessoas em sua fábrica em Sioux Falls, Dakota do Sul.\nA fábrica abate 19.500 porcos por dia – 5% da carne suína dos EUA."),
    "es": ("Smithfield emplea a 3.700 personas en su planta de Sioux Falls, Dakota del Sur. La planta sacrifica 19.500 cerdos al día, el 5 por ciento de la carne de cerdo de EE.",
           "Smithfield emplea a 3.700 personas en su planta de Sioux Falls, Dakota del Sur.\nLa planta sacrifica 19.500 cerdos al día, el 5 por ciento de la carne de cerdo de EE."),
}
EDGE = [
    "Dr. Smith went to Washington. He arrived at 5 p.m. on Monday.",
    "e.g. this i.e. that. U.S.A. is big.",
    "See the manual, e.g. the APT chapter. It explains etc. Then continue.",
    "Use dnf. The tool is fine. Mr. Stallman wrote it. M. Stallman too.",
    "Version 2. Next. In 1999. However, it failed. J. R. R. Tolkien wrote it.",
    "The plant slaughters 19,500 pigs a day — 5 percent of U.S. pork.",
    "Ellipsis... And then... more text. End.",
    "He said \"hi.\" Then left. (Parenthetical.) After it.",
    "Line one.\nLine two.\n\nLine three.",
]
EDGE_FR = ["M. Dupont est là. Il part, etc. Ensuite il revient.", "Voir p. 5. Ensuite, lire le chapitre."]
EDGE_ES = ["Ver p.ej. el manual. Ud. puede leerlo. EE.UU. es grande.", "Sr. García llegó. Luego se fue."]


def split(lang, text, cache={}):
    if lang not in cache:
        cache[lang] = PunktSentenceTokenizer(load_params(os.path.join(ROOT, "data", "punkt", lang + ".punkt")))
    return "\n".join(cache[lang].tokenize(text))


for lang, (text, target) in DJ.items():
    got = split(lang, text)
    print(f"dj test_{lang}_text: {'MATCHES' if got == target else 'differs from'} DJ's target", file=sys.stderr)
    name = f"dj:test_{lang}_text_trained" + ("" if got == target else "_differs_from_dj")
    print(json.dumps({"name": name, "params": {"lang": lang}, "inputs": [{"text": text}],
                      "expect": {"texts": [got]}}, ensure_ascii=False))
for lang, texts in (("en", EDGE), ("fr", EDGE_FR), ("es", EDGE_ES)):
    print(json.dumps({"name": f"edge:trained_{lang}", "params": {"lang": lang},
                      "inputs": [{"text": t} for t in texts],
                      "expect": {"texts": [split(lang, t) for t in texts]}}, ensure_ascii=False))
