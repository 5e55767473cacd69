#!/usr/bin/python3
"""Runs shared/tools/dj-reference/bench_dj.py (DJ's own op code) with jieba standing in for DJ's
zh.sp.model: the op module's prepare_model/get_model for ("sentencepiece", lang="zh") yield an
object whose encode_as_pieces is jieba.lcut (python3-jieba 0.42.1). This is what Winnow does
when zh.sp.model is absent; the golden cases 'edge:zh_jieba*' were computed with it:
    DJ_SRC=/work/djsrc /usr/bin/python3 tests/data/dj_with_jieba.py stopwords_filter \
        --params '{"lang":"zh","tokenization":true,...}' --input in.jsonl --out out.jsonl
"""
import logging
import sys

sys.path.insert(0, "/work/shared/tools/dj-reference")
import bench_dj  # noqa: E402
import djload  # noqa: E402
import jieba  # noqa: E402

jieba.setLogLevel(logging.ERROR)


class JiebaTokenizer:
    def encode_as_pieces(self, text):
        return jieba.lcut(text)


_load = djload.load_op_class


def load_op_class(name):
    cls = _load(name)
    mod = sys.modules[cls.__module__]
    orig_prepare, orig_get = mod.prepare_model, mod.get_model

    def prepare_model(model_type, **kw):
        if model_type == "sentencepiece" and kw.get("lang") == "zh":
            return "jieba-zh"
        return orig_prepare(model_type, **kw)

    def get_model(key, *a, **kw):
        return JiebaTokenizer() if key == "jieba-zh" else orig_get(key, *a, **kw)

    mod.prepare_model, mod.get_model = prepare_model, get_model
    return cls


djload.load_op_class = load_op_class
bench_dj.djload.load_op_class = load_op_class
bench_dj.main()
