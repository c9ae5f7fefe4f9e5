import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain.nhs_number import InvalidNhsNumber, check_digit, is_valid, validate

# Published examples: 9434765919 is the NHS Data Dictionary's worked example; 9000000009 is a
# Personal Demographics Service sandbox patient (../shared/data/fhir/pds-sandbox-patients).
VALID = ["9434765919", "9000000009", "9000000025", "4010232137"]


@pytest.mark.parametrize("value", VALID)
def test_is_valid_published_examples(value):
    assert is_valid(value)
    assert validate(value) == value


def test_check_digit_worked_example():
    assert check_digit("943476591") == 9


def test_check_digit_remainder_zero_gives_zero():
    # 11 - 0 = 11, which the rule maps to a check digit of 0.
    assert check_digit("943476587") == 0
    assert is_valid("9434765870")


def test_check_digit_ten_means_no_valid_number():
    assert check_digit("999000000") is None
    assert not any(is_valid(f"999000000{last}") for last in "0123456789")
    with pytest.raises(InvalidNhsNumber, match="would be 10"):
        validate("9990000000")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9434765918", "check digit"),
        ("9434765910", "check digit"),
        ("943476591", "10 digits, not 9"),
        ("94347659190", "10 digits, not 11"),
        ("", "10 digits"),
        ("943476591A", "no spaces, letters"),
        ("943 476 5919", "no spaces, letters"),
        (" 9434765919", "no spaces, letters"),
        ("943-476-5919", "no spaces, letters"),
        # Full-width digits, for which str.isdigit() is True.
        ("".join(chr(0xFF10 + int(d)) for d in "9434765919"), "no spaces, letters"),
    ],
)
def test_validate_invalid_says_why(value, reason):
    assert not is_valid(value)
    with pytest.raises(InvalidNhsNumber, match=reason):
        validate(value)


def test_invalid_number_is_a_value_error_without_the_number_in_the_message():
    with pytest.raises(ValueError) as raised:
        validate("9434765918")
    assert "9434765918" not in str(raised.value)


def test_check_digit_rejects_wrong_length_or_characters():
    with pytest.raises(InvalidNhsNumber):
        check_digit("94347659")
    with pytest.raises(InvalidNhsNumber):
        check_digit("94347659x")


@given(st.from_regex(r"\A[0-9]{9}\Z"))
def test_is_valid_exactly_when_last_digit_is_the_check_digit(first_nine):
    expected = check_digit(first_nine)
    for last in range(10):
        assert is_valid(f"{first_nine}{last}") == (expected == last)
