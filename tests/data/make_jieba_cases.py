#!/usr/bin/python3
"""Writes tests/data/jieba_cases.jsonl: {"text", "tokens": jieba.lcut(text)} per line, with
Debian's python3-jieba 0.42.1 (jieba.cut(text, cut_all=False, HMM=True)).

Texts: every 150th non-empty text line of the Debian Administrator's Handbook (zh-CN and zh-TW
HTML in the debian-handbook package, tags stripped), then hand-written edge cases. Rerun it to
change the set; never edit expectations by hand:
    /usr/bin/python3 tests/data/make_jieba_cases.py > tests/data/jieba_cases.jsonl
"""
import glob, html, json, logging, re, sys

import jieba

jieba.setLogLevel(logging.ERROR)
lines = []
for lang in ["zh-CN", "zh-TW"]:
    for f in sorted(glob.glob(f"/usr/share/doc/debian-handbook/html/{lang}/*.html")):
        t = open(f, encoding="utf-8").read()
        t = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", "", t)
        t = html.unescape(re.sub(r"<[^>]+>", "\n", t))
        lines += [l for l in t.split("\n") if l.strip()]
texts = lines[::150]
texts += [
    "", " ", "\r\n", "a\r\r\nb", "\n\n", "我来到北京清华大学", "他来到了网易杭研大厦",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造", "iPhone15售价5999.99元，涨幅3.5%！",
    "C++和c#是编程语言", "AT&T公司", "😀开心😀", "ＡＢＣ全角１２３", "中文English混合123abc",
    "人工智能-machine_learning.v2", "　全角空格\t制表符\u00a0不换行", "版本v1.2.3发布于2024年",
    "鿖鿗超出范围的汉字𠀀", "abc.5%def 12.x", "我爱自然语言处理。你呢？", "結婚的和尚未結婚的",
    "长春市长春节讲话", "乒乓球拍卖完了", "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
]
for t in texts:
    print(json.dumps({"text": t, "tokens": jieba.lcut(t)}, ensure_ascii=False))
print(len(texts), "cases", file=sys.stderr)
