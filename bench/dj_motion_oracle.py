# Data-Juicer's video_motion_score_filter loop (DJ 1.4 compute_stats_single), restated over cv2 4.6 for
# bench/media_bench.sh: DJ's op cannot run through dj-reference (its harness passes no videos).
# Usage: /usr/bin/python3 bench/dj_motion_oracle.py INPUT.jsonl [JSON kwargs]
# DJ's video_motion_score_filter.compute_stats_single loop, verbatim semantics, on cv2 4.6.
import cv2, json, sys, numpy as np
sys.path.insert(0, "/work/djsrc")
def calc(original_size, target_size, max_length=None, divisible=1):
    height, width = original_size
    short_edge, long_edge = sorted((width, height))
    if isinstance(target_size, int): target_size = (target_size,)
    if target_size:
        if len(target_size) == 1:
            new_short_edge = target_size[0]; new_long_edge = int(new_short_edge * long_edge / short_edge)
        else:
            new_short_edge = min(target_size); new_long_edge = max(target_size)
    else:
        new_short_edge, new_long_edge = short_edge, long_edge
    if max_length is not None and new_long_edge > max_length:
        f = max_length / new_long_edge; new_short_edge = int(new_short_edge * f); new_long_edge = max_length
    r = (new_short_edge, new_long_edge) if width >= height else (new_long_edge, new_short_edge)
    return tuple(int(d / divisible) * divisible for d in r)
def score(path, sampling_fps=2, size=None, max_size=None, divisible=1, relative=False):
    kw = dict(pyr_scale=0.5, levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0)
    cap = cv2.VideoCapture(path); scores = []
    fps = cap.get(cv2.CAP_PROP_FPS); sf = min(sampling_fps, fps); step = round(fps / sf)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)); step = max(min(step, total - 1), 1)
    h = cap.get(cv2.CAP_PROP_FRAME_HEIGHT); w = cap.get(cv2.CAP_PROP_FRAME_WIDTH)
    new_size = calc((h, w), size, max_size, divisible)
    prev = None; fc = 0
    while cap.isOpened():
        ret, frame = cap.read()
        if not ret: break
        if new_size != (h, w): frame = cv2.resize(frame, new_size, interpolation=cv2.INTER_AREA)
        cur = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if prev is None: prev = cur; continue
        flow = cv2.calcOpticalFlowFarneback(prev, cur, None, **kw); prev = cur
        mag, _ = cv2.cartToPolar(flow[..., 0], flow[..., 1]); s = np.mean(mag)
        if relative: s /= np.hypot(*frame.shape[:2])
        scores.append(s); fc += step; cap.set(cv2.CAP_PROP_POS_FRAMES, fc)
    return float(np.mean(scores)) if scores else -1
args = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
for l in open(sys.argv[1]):
    p = json.loads(l)["videos"][0]
    print(json.dumps({"video_motion_score": [score(p, **args)]}))
