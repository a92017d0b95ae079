"""The journal's codes and their labels (journal/body.py), as the API gives them."""

from rest_framework import serializers

from journal import body


def _pairs(pairs) -> list[dict]:
    return [{"code": code, "label": label} for code, label in pairs]


def vocabulary() -> dict:
    """Every set of codes an entry may hold, in the order the app lists them."""
    return {
        "regions": _pairs(body.REGIONS),
        "locations": [
            {"code": code, "label": label, "region": body.region_of(code)}
            for code, label in body.TWITCH_LOCATIONS
        ],
        "all_over_regions": list(body.ALL_OVER_REGIONS),
        "sides": _pairs(body.SIDES),
        "intensities": _pairs(body.INTENSITIES),
        "triggers": _pairs(body.TRIGGERS),
        "symptom_kinds": [
            {"code": code, "label": label, "help": body.SYMPTOM_HELP[code]}
            for code, label in body.SYMPTOM_KINDS
        ],
        "severities": _pairs(body.SEVERITIES),
        "onsets": _pairs(body.ONSETS),
        "exercise_levels": _pairs(body.EXERCISE_LEVELS),
    }


class TextCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class NumberCodeSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    label = serializers.CharField()


class LocationSerializer(TextCodeSerializer):
    region = serializers.CharField(
        allow_null=True,
        help_text='The region code; null for "all_over", which stands for '
        "every region in all_over_regions.",
    )


class SymptomKindSerializer(TextCodeSerializer):
    help = serializers.CharField(help_text="What the kind means, in the log form's words.")


class VocabularySerializer(serializers.Serializer):
    """Documents the answer of vocabulary/."""

    regions = TextCodeSerializer(many=True)
    locations = LocationSerializer(
        many=True, help_text="Where a twitch can be; a symptom can be anywhere but all_over."
    )
    all_over_regions = serializers.ListField(child=serializers.CharField())
    sides = TextCodeSerializer(many=True)
    intensities = NumberCodeSerializer(many=True)
    triggers = TextCodeSerializer(many=True)
    symptom_kinds = SymptomKindSerializer(many=True)
    severities = NumberCodeSerializer(many=True)
    onsets = TextCodeSerializer(many=True)
    exercise_levels = TextCodeSerializer(many=True)
