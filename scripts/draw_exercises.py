"""Draw the exercise illustrations in src/unknot/knowledge/data/exercises/.

One style for all: a side view of a rounded body (head, neck, torso, upper and
lower limbs drawn as filled, outlined shapes), the start position in light
grey, the end position in blue, and an orange arrow for the movement. A key
under the drawing says which is which, so the picture reads without colour
too (the start is also dashed). Each file has a <title> and a <desc> (the
same words as the exercise's ``image_alt`` in exercises.yaml).

Poses are written as joint angles (degrees, 0 = pointing right, 90 = up) from
the hip; run ``.venv/bin/python scripts/draw_exercises.py`` after changing
one, then look at the result at phone size.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

OUT = Path(__file__).resolve().parents[1] / "src" / "unknot" / "knowledge" / "data"
W, H = 320, 200
GROUND = 166
# segment lengths and widths (px in a 320 x 200 drawing)
TORSO, NECK, HEAD_R = 58, 9, 11
THIGH, SHIN, FOOT = 44, 40, 15
UPPER_ARM, FOREARM, HAND = 30, 27, 8
WIDTH = {"torso": 24, "thigh": 15, "shin": 11, "foot": 7, "upper": 9, "fore": 8, "neck": 9}
START = {"fill": "#e4e7eb", "line": "#8c96a3", "dash": "4 3"}
END = {"fill": "#9cc3e4", "line": "#1d4e7a", "dash": ""}
ARROW = "#d35400"


@dataclass(frozen=True)
class Limb:
    upper: float  # thigh / upper arm angle
    lower: float  # shin / forearm angle
    end: float | None = None  # foot / hand angle (None: hand follows the forearm)


@dataclass(frozen=True)
class Pose:
    hip: tuple[float, float]
    torso: float  # hip -> shoulder
    head: float  # neck direction
    near_leg: Limb
    far_leg: Limb
    near_arm: Limb
    far_arm: Limb
    bend: float = 0.0  # spine curve: + bows the back up, - lets it sag
    extra: list[str] = field(default_factory=list)  # props drawn under the body


def reach(origin: tuple[float, float], target: tuple[float, float], first: float,
          second: float, bend: int = 1, end: float | None = 0) -> Limb:
    """A two-part limb from ``origin`` whose tip lands on ``target`` (``bend`` picks the side)."""
    dx, dy = target[0] - origin[0], origin[1] - target[1]
    dist = min(math.hypot(dx, dy), first + second - 0.01)
    base = math.degrees(math.atan2(dy, dx))
    inner = math.degrees(math.acos((first**2 + dist**2 - second**2) / (2 * first * dist)))
    upper = base + bend * inner
    joint = _pt(origin, upper, first)
    lower = math.degrees(math.atan2(joint[1] - target[1], target[0] - joint[0]))
    return Limb(upper, lower, end)


def _pt(origin: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return origin[0] + length * math.cos(rad), origin[1] - length * math.sin(rad)


def _seg(a: tuple[float, float], b: tuple[float, float], width: float, style: dict[str, str],
         far: bool = False) -> list[str]:
    return _stroke(f"M{a[0]:.0f} {a[1]:.0f}L{b[0]:.0f} {b[1]:.0f}", width, style, far)


def _stroke(d: str, width: float, style: dict[str, str], far: bool = False) -> list[str]:
    """The shape's outline (class o), then its fill (f, or k for the far side)."""
    return [f'<path class="o" d="{d}" stroke-width="{width + 3:g}"/>',
            f'<path class="{"k" if far else "f"}" d="{d}" stroke-width="{width:g}"/>']


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * .85):02x}{int(g * .85):02x}{int(b * .85):02x}"


def _css() -> str:
    rules = []
    for name, st in (("s", START), ("e", END)):
        dash = f";stroke-dasharray:{st['dash']}" if st["dash"] else ""
        rules += [f".{name} .o{{stroke:{st['line']}{dash}}}", f".{name} .f{{stroke:{st['fill']}}}",
                  f".{name} .k{{stroke:{_darker(st['fill'])}}}",
                  f".{name} circle{{fill:{st['fill']};stroke:{st['line']};stroke-width:1.5{dash}}}"]
    return "".join(rules)


Seg = tuple[tuple[float, float], tuple[float, float], float]


def _layer(segs: list[Seg], far: bool = False) -> list[str]:
    """Segments drawn as one shape: every outline first, then every fill (joints merge)."""
    by_width: dict[float, str] = {}
    for a, b, width in segs:
        by_width[width] = by_width.get(width, "") + f"M{a[0]:.0f} {a[1]:.0f}L{b[0]:.0f} {b[1]:.0f}"
    fill = "k" if far else "f"
    return ([f'<path class="o" d="{d}" stroke-width="{w + 3:g}"/>' for w, d in by_width.items()]
            + [f'<path class="{fill}" d="{d}" stroke-width="{w:g}"/>' for w, d in by_width.items()])


def figure(p: Pose, style: dict[str, str]) -> list[str]:
    hip = p.hip
    shoulder = _pt(hip, p.torso, TORSO)
    neck_top = _pt(shoulder, p.head, NECK)
    head = _pt(shoulder, p.head, NECK + HEAD_R)
    out: list[str] = list(p.extra)

    def leg(limb: Limb) -> list[Seg]:
        knee = _pt(hip, limb.upper, THIGH)
        ankle = _pt(knee, limb.lower, SHIN)
        toe = _pt(ankle, limb.end if limb.end is not None else limb.lower - 90, FOOT)
        return [(hip, knee, WIDTH["thigh"]), (knee, ankle, WIDTH["shin"]),
                (ankle, toe, WIDTH["foot"])]

    def arm(limb: Limb) -> list[Seg]:
        elbow = _pt(shoulder, limb.upper, UPPER_ARM)
        wrist = _pt(elbow, limb.lower, FOREARM)
        hand = _pt(wrist, limb.end if limb.end is not None else limb.lower, HAND)
        return [(shoulder, elbow, WIDTH["upper"]), (elbow, wrist, WIDTH["fore"]),
                (wrist, hand, WIDTH["fore"] - 1)]

    out += _layer(arm(p.far_arm) + leg(p.far_leg), far=True)
    out += _layer([(shoulder, neck_top, WIDTH["neck"])])
    mid = ((hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2)
    ctrl = (mid[0], mid[1] - p.bend * 2)  # + bows the back up, - lets it sag
    out += _stroke(f"M{hip[0]:.0f} {hip[1]:.0f}Q{ctrl[0]:.0f} {ctrl[1]:.0f} "
                   f"{shoulder[0]:.0f} {shoulder[1]:.0f}", WIDTH["torso"], style)
    out.append(f'<circle cx="{head[0]:.0f}" cy="{head[1]:.0f}" r="{HEAD_R}"/>')
    out += _layer(leg(p.near_leg)) + _layer(arm(p.near_arm))
    return out


def _head(tip: tuple[float, float], back: tuple[float, float], size: float = 14) -> str:
    """A filled triangle at ``tip`` pointing away from ``back``."""
    ang = math.atan2(tip[1] - back[1], tip[0] - back[0])
    left = (tip[0] - size * math.cos(ang - 0.5), tip[1] - size * math.sin(ang - 0.5))
    right = (tip[0] - size * math.cos(ang + 0.5), tip[1] - size * math.sin(ang + 0.5))
    return (f'<path class="arrowhead" d="M{tip[0]:.0f} {tip[1]:.0f}L{left[0]:.0f} {left[1]:.0f}'
            f'L{right[0]:.0f} {right[1]:.0f}z" fill="{ARROW}"/>')


def arrow(d: str, both: bool = False) -> list[str]:
    """A thick orange arrow along ``d`` ("M x y L x y" or "M x y Q cx cy x y")."""
    nums = [float(n) for n in re.findall(r"-?[\d.]+", d)]
    start, end = (nums[0], nums[1]), (nums[-2], nums[-1])
    ctrl = (nums[2], nums[3]) if len(nums) == 6 else start
    ctrl_back = (nums[2], nums[3]) if len(nums) == 6 else end
    out = [f'<path d="{d}" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round"/>',
           f'<path d="{d}" fill="none" stroke="{ARROW}" stroke-width="3.5" '
           'stroke-linecap="round"/>',
           _head(end, ctrl)]
    if both:
        out.append(_head(start, ctrl_back))
    return out


def svg(title: str, desc: str, start: Pose, end: Pose, arrows: list[list[str]],
        labels: tuple[str, str] = ("Start", "End"), scale: float = 1.0) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
        f'height="{H}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(desc)}</desc>',
        f"<style>{_css()}</style>",
        f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
        f'<rect x="6" y="{GROUND}" width="{W - 12}" height="6" rx="3" fill="#cfd4da"/>',
        f'<g transform="translate({W * (1 - scale) / 2:.1f} {GROUND * (1 - scale):.1f}) '
        f'scale({scale})">',
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
        '<g class="s">', *figure(start, START), "</g>",
        '<g class="e">', *figure(end, END), "</g>",
        "</g>",
    ]
    for a in arrows:
        parts += a
    parts.append("</g>")
    key_y = H - 12
    parts += [
        f'<g font-family="sans-serif" font-size="13" fill="#222">'
        f'<rect x="40" y="{key_y - 10}" width="16" height="11" rx="3" fill="{START["fill"]}" '
        f'stroke="{START["line"]}" stroke-dasharray="{START["dash"]}"/>'
        f'<text x="61" y="{key_y}">{escape(labels[0])}</text>'
        f'<rect x="140" y="{key_y - 10}" width="16" height="11" rx="3" fill="{END["fill"]}" '
        f'stroke="{END["line"]}"/>'
        f'<text x="161" y="{key_y}">{escape(labels[1])}</text>'
        f'<path d="M236 {key_y - 4}h20" stroke="{ARROW}" stroke-width="3.5"/>'
        f'{_head((266, key_y - 4), (236, key_y - 4), 10)}'
        f'<text x="270" y="{key_y}">Move</text></g>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


# --- poses ------------------------------------------------------------------------

ON_BACK_Y = GROUND - 13
ARMS_DOWN = Limb(-2, -2, -2)
KNEES_BENT = Limb(48, -62, 0)
LYING = Pose(hip=(196, ON_BACK_Y), torso=180, head=180, near_leg=KNEES_BENT,
             far_leg=Limb(52, -58, 0), near_arm=ARMS_DOWN, far_arm=ARMS_DOWN)

FOURS = Pose(hip=(206, GROUND - 48), torso=172, head=165,
             near_leg=Limb(-90, 0, 0), far_leg=Limb(-86, 2, 0),
             near_arm=Limb(-90, -90, 180), far_arm=Limb(-86, -88, 180))

STANDING = Pose(hip=(120, GROUND - 88), torso=90, head=92,
                near_leg=Limb(-90, -92, 0), far_leg=Limb(-88, -90, 0),
                near_arm=Limb(-94, -84, -84), far_arm=Limb(-88, -92, -92))


def _ankle(p: Pose, near: bool = True) -> tuple[float, float]:
    limb = p.near_leg if near else p.far_leg
    return _pt(_pt(p.hip, limb.upper, THIGH), limb.lower, SHIN)


STANDING_SCALE = 0.82  # upright figures are drawn smaller to fit the same frame

Drawing = tuple[Pose, Pose, list[list[str]], tuple[str, str]] | tuple[
    Pose, Pose, list[list[str]], tuple[str, str], float]


def drawings() -> dict[str, Drawing]:
    both = ("Start", "End")
    # bridge: shoulders and feet stay where they were, the hips rise
    lifted = (196.0, ON_BACK_Y - 32.0)
    shoulder = _pt(LYING.hip, LYING.torso, TORSO)
    bridge_torso = math.degrees(math.atan2(lifted[1] - shoulder[1], shoulder[0] - lifted[0]))
    bridge = replace(
        LYING, hip=lifted, torso=bridge_torso, head=180,
        near_leg=reach(lifted, _ankle(LYING), THIGH, SHIN),
        far_leg=reach(lifted, _ankle(LYING, False), THIGH, SHIN),
        near_arm=ARMS_DOWN, far_arm=ARMS_DOWN,
    )
    # half-kneeling: the front foot and the back knee stay put, the hips move forward
    kneel_hip = (150.0, GROUND - 56.0)
    front_foot, back_knee = (196.0, GROUND - 6.0), (118.0, GROUND - 8.0)

    def half_kneel(hip: tuple[float, float], lean: float) -> Pose:
        back_thigh = math.degrees(math.atan2(hip[1] - back_knee[1], back_knee[0] - hip[0]))
        return Pose(hip=hip, torso=90 + lean, head=90 + lean,
                    near_leg=reach(hip, front_foot, THIGH, SHIN, 1),
                    far_leg=Limb(back_thigh, 180, 180),
                    near_arm=Limb(-90 + lean, -80 + lean), far_arm=Limb(-95 + lean, -85 + lean))

    return {
        "knee_to_chest": (
            LYING,
            replace(LYING, near_leg=Limb(112, -18, -100), near_arm=Limb(52, 14, 14)),
            [arrow("M252 116 Q236 80 208 84")], both),
        "pelvic_tilt": (
            replace(LYING, bend=5),
            replace(LYING, bend=-1, near_leg=Limb(50, -60, 0)),
            [arrow("M170 122 L170 142")], ("Back arched", "Back flat")),
        "cat_cow": (
            replace(FOURS, bend=16, head=235),
            replace(FOURS, bend=-10, head=150),
            [arrow("M172 58 L172 96", both=True)], ("Cat", "Cow")),
        "childs_pose": (
            FOURS,
            Pose(hip=(224, GROUND - 30), torso=190, head=200,
                 near_leg=Limb(-160, -6, 0), far_leg=Limb(-156, -4, 0),
                 near_arm=Limb(188, 180, 180), far_arm=Limb(186, 178, 178)),
            [arrow("M236 96 Q250 110 244 128")], both),
        "hamstring_stretch": (
            LYING,
            replace(LYING, near_leg=Limb(80, 80, -12), near_arm=Limb(60, 66, 66),
                    extra=['<path d="M178 104 L236 48" stroke="#7a5c2e" stroke-width="2.5"/>']),
            [arrow("M270 128 Q270 80 234 50")], both),
        "figure_four": (
            replace(LYING, near_leg=Limb(70, -170, -100)),
            replace(LYING, near_leg=Limb(100, -150, -100), far_leg=Limb(108, -20, -100),
                    near_arm=Limb(50, 30, 30)),
            [arrow("M262 118 Q254 82 224 76")], both),
        "hip_flexor_stretch": (
            half_kneel(kneel_hip, 0),
            half_kneel((kneel_hip[0] + 14, kneel_hip[1] + 3), 0),
            [arrow("M132 60 L176 60")], both, STANDING_SCALE),
        "bridge": (LYING, bridge, [arrow("M196 150 L196 112")], both),
        "bird_dog": (
            FOURS,
            replace(FOURS, near_leg=Limb(-2, 0, -90), near_arm=Limb(176, 176, 176)),
            [arrow("M264 96 L300 96"), arrow("M118 66 L66 66")], both),
        "walking": (
            STANDING,
            replace(STANDING, hip=(210, GROUND - 86), near_leg=Limb(-66, -96, 0),
                    far_leg=Limb(-114, -130, -40), near_arm=Limb(-118, -100, -100),
                    far_arm=Limb(-64, -40, -40)),
            [arrow("M140 40 L200 40")], both, STANDING_SCALE),
    }


def main() -> None:
    data = yaml.safe_load((OUT / "exercises.yaml").read_text(encoding="utf-8"))
    alts = {e["id"]: (e["title"], e["image_alt"]) for e in data["exercises"]}
    for name, (start, end, arrows, labels, *scale) in drawings().items():
        title, alt = alts[name]
        (OUT / "exercises" / f"{name}.svg").write_text(
            svg(title, alt, start, end, arrows, labels, *scale), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
