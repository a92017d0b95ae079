"""The journal's vocabulary: body locations and regions, sides, symptoms, triggers.

Plain Python with no Django import, so models, forms, the rules engine and the
PDF all share one list of codes and labels (RULES.md section 1). Codes are what
is stored; labels are what people read.

Regions follow the scheme clinicians use when they judge how widespread twitching
is (head, arms, trunk, legs). The eyelid sits in the head region here, as a plain
fact about the body; it is the rules module that sets eyelid twitching apart.
"""

EYELID = "eyelid"
ALL_OVER = "all_over"

REGIONS = (
    ("head", "Head and face"),
    ("arm", "Neck, shoulders and arms"),
    ("trunk", "Chest, back and belly"),
    ("leg", "Lower back, hips and legs"),
)

REGION_CODES = tuple(code for code, _ in REGIONS)

# "All over" is the whole body below the head: it stands for the arm, trunk and
# leg regions at once, never for the head.
ALL_OVER_REGIONS = ("arm", "trunk", "leg")

# The rows twitches are counted in by region, on the trends page and in the PDF: the
# four regions, then the eyelid apart (common and nearly always harmless, RULES.md 2.1).
SPREAD_REGION_CODES = (*REGION_CODES, EYELID)

_LOCATIONS_BY_REGION = (
    (
        "head",
        (
            ("tongue", "Tongue"),
            ("jaw", "Jaw"),
            ("lips", "Lips"),
            ("cheek", "Cheek"),
            ("forehead", "Forehead"),
            ("throat", "Throat"),
            (EYELID, "Eyelid"),
        ),
    ),
    (
        "arm",
        (
            ("neck", "Neck"),
            ("shoulder", "Shoulder"),
            ("upper_arm", "Upper arm"),
            ("elbow", "Elbow"),
            ("forearm", "Forearm"),
            ("hand", "Hand"),
            ("thumb_base", "Base of thumb"),
            ("fingers", "Fingers"),
        ),
    ),
    (
        "trunk",
        (
            ("chest", "Chest"),
            ("upper_back", "Upper back"),
            ("abdomen", "Belly (abdomen)"),
        ),
    ),
    (
        "leg",
        (
            ("lower_back", "Lower back"),
            ("buttock", "Buttock"),
            ("thigh_front", "Front of thigh"),
            ("thigh_back", "Back of thigh"),
            ("knee", "Knee"),
            ("calf", "Calf"),
            ("shin", "Shin"),
            ("foot", "Foot"),
            ("sole", "Sole of foot"),
            ("toes", "Toes"),
        ),
    ),
)

# Places with a single region, head first: valid for both twitches and symptoms.
LOCATIONS = tuple(pair for _, pairs in _LOCATIONS_BY_REGION for pair in pairs)

# Twitches may also be logged "all over"; symptoms always have a specific place.
TWITCH_LOCATIONS = (*LOCATIONS, (ALL_OVER, "All over / many places"))

LOCATION_LABELS = dict(TWITCH_LOCATIONS)

# Places on the body's midline, which have no left and right: the body map draws each
# once (side "centre"), and a made-up journal gives them no side.
MIDLINE_LOCATIONS = frozenset(
    {
        "neck",
        "chest",
        "abdomen",
        "upper_back",
        "lower_back",
        "forehead",
        "lips",
        "jaw",
        "throat",
        "tongue",
    }
)

REGION_OF = {code: region for region, pairs in _LOCATIONS_BY_REGION for code, _ in pairs}

# The everyday words people type for each place, besides its label: the log page's
# "Find a place" search knows them ("bicep" finds the upper arm).
PLACE_WORDS = {
    "tongue": ("mouth",),
    "jaw": ("chin", "jawline"),
    "lips": ("lip", "mouth"),
    "cheek": ("face", "cheekbone"),
    "forehead": ("brow", "temple", "head"),
    "throat": ("adam's apple", "gullet"),
    EYELID: ("eye", "eyes", "eyebrow", "under eye"),
    "neck": ("nape",),
    "shoulder": ("delt", "deltoid", "shoulders"),
    "upper_arm": ("bicep", "biceps", "tricep", "triceps", "arm"),
    "elbow": ("funny bone",),
    "forearm": ("wrist", "lower arm"),
    "hand": ("palm", "back of hand", "knuckle", "knuckles"),
    "thumb_base": ("thumb", "palm"),
    "fingers": ("finger", "pinky", "little finger", "index finger", "ring finger"),
    "chest": ("pec", "pecs", "ribs", "breast"),
    "upper_back": ("shoulder blade", "shoulder blades", "trap", "traps", "back"),
    "abdomen": ("belly", "stomach", "tummy", "abs", "side"),
    "lower_back": ("back", "hip", "hips"),
    "buttock": ("glute", "glutes", "bum", "bottom", "butt"),
    "thigh_front": ("quad", "quads", "quadriceps", "thigh", "leg"),
    "thigh_back": ("hamstring", "hamstrings", "thigh"),
    "knee": ("kneecap", "behind the knee"),
    "calf": ("calves", "leg", "lower leg"),
    "shin": ("leg", "lower leg", "tibia"),
    "foot": ("ankle", "heel", "instep"),
    "sole": ("arch", "heel", "bottom of foot"),
    "toes": ("toe", "big toe", "little toe"),
    ALL_OVER: ("everywhere", "whole body", "all over"),
}

SIDES = (
    ("left", "Left"),
    ("right", "Right"),
    ("both", "Both sides"),
    ("centre", "Middle / centre"),
)

SYMPTOM_KINDS = (
    ("weakness", "Weakness"),
    ("muscle_loss", "Muscle looks smaller"),
    ("numbness_tingling", "Numbness or tingling"),
    ("coordination", "Clumsiness or poor balance"),
    ("speech", "Speech changes"),
    ("swallowing", "Trouble swallowing"),
    ("breathing", "Breathlessness"),
    ("cramps", "Cramps"),
    ("heaviness", "Heavy or tired limbs"),
)

SYMPTOM_HELP = {
    "weakness": (
        "Something is harder to do than it used to be: gripping, doing up buttons, "
        "lifting your arm, climbing stairs, getting up from a chair, or your foot "
        "catching as you walk. If your limbs only feel heavy or tired, choose "
        '"Heavy or tired limbs" instead.'
    ),
    "muscle_loss": (
        "A muscle looks smaller, flatter or hollow compared with how it was before, "
        "or compared with the same muscle on the other side."
    ),
    "numbness_tingling": (
        "Pins and needles, tingling or burning, or a patch of skin that feels numb "
        "or dull to the touch."
    ),
    "coordination": (
        "Clumsiness, dropping things more than usual, or trouble keeping your balance."
    ),
    "speech": "Your speech sounds slurred or different, or words are harder to say clearly.",
    "swallowing": "Choking or coughing when you eat or drink, or food feeling as if it sticks.",
    "breathing": "Feeling short of breath while resting, or when lying flat.",
    "cramps": (
        "A muscle tightens painfully and stays tight for a while, such as a calf cramp at night."
    ),
    "heaviness": (
        "Your arms or legs feel heavy or tired, yet you can still do everything as well "
        "as before. This is common, and it is not the same as weakness: log it here."
    ),
}

ONSETS = (
    ("gradual", "Came on gradually"),
    ("sudden", "Came on suddenly"),
)

SEVERITIES = (
    (1, "Mild"),
    (2, "Moderate"),
    (3, "Severe"),
)

TRIGGERS = (
    ("caffeine", "Caffeine"),
    ("poor_sleep", "Poor sleep"),
    ("stress", "Stress or worry"),
    ("exercise", "Exercise"),
    ("alcohol", "Alcohol"),
    ("dehydration", "Not drinking enough"),
    ("cold", "Feeling cold"),
    ("skipped_meal", "Skipped a meal"),
    ("nicotine", "Nicotine"),
    ("medication", "A medicine"),
    ("fatigue", "Tiredness"),
    ("illness", "Feeling unwell"),
)

# Lengths a twitch can be logged with in one tap, stored as these whole seconds. They
# are rough answers, and are said back as such ("several minutes", never "5 min").
DURATION_PRESETS = (
    (0, "Under a second"),
    (3, "A few seconds"),
    (30, "Under a minute"),
    (300, "Several minutes"),
)

INTENSITIES = (
    (1, "Faint"),
    (2, "Visible"),
    (3, "Strong"),
)

EXERCISE_LEVELS = (
    ("none", "None"),
    ("light", "Light"),
    ("moderate", "Moderate"),
    ("hard", "Hard"),
)

# The person answers about a close relative, so naming the condition is the
# point here; everywhere else the app avoids disease names.
FAMILY_HISTORY_CHOICES = (
    ("none", "No"),
    ("unknown", "Not sure"),
    ("als_mnd", "Yes: ALS / motor neurone disease"),
    ("muscular_dystrophy", "Yes: muscular dystrophy"),
    ("other_neuromuscular", "Yes: another nerve or muscle condition"),
)

FAMILY_HISTORY_POSITIVE = frozenset({"als_mnd", "muscular_dystrophy", "other_neuromuscular"})

_REGION_LABELS = dict(REGIONS)
_SIDE_LABELS = dict(SIDES)
_SYMPTOM_LABELS = dict(SYMPTOM_KINDS)
_SEVERITY_LABELS = dict(SEVERITIES)


def region_of(location: str) -> str | None:
    """The one region a location belongs to; None for "all over" or an unknown code."""
    return REGION_OF.get(location)


def regions_for(location: str) -> tuple[str, ...]:
    """Every region a location stands for: three for "all over", none if unknown."""
    if location == ALL_OVER:
        return ALL_OVER_REGIONS
    region = REGION_OF.get(location)
    return (region,) if region else ()


def location_label(code: str) -> str:
    """The label for a location code, or the code itself if it is not in the vocabulary."""
    return LOCATION_LABELS.get(code, code)


def region_label(code: str) -> str:
    """The label for a region code, or the code itself if it is unknown."""
    return _REGION_LABELS.get(code, code)


def side_label(code: str) -> str:
    """The label for a side code, or the code itself if it is unknown."""
    return _SIDE_LABELS.get(code, code)


def symptom_label(code: str) -> str:
    """The label for a symptom kind, or the code itself if it is unknown."""
    return _SYMPTOM_LABELS.get(code, code)


def severity_label(value: int) -> str:
    """The label for a severity 1-3, or the number as text if out of range."""
    return _SEVERITY_LABELS.get(value, str(value))
