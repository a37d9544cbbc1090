"""Walk the questionnaire as a resident would: answer each page from a persona's answers and
skip what the persona would not know, and record which questions were asked."""

import datetime as dt

from eligibility.questionnaire import Questionnaire

PERSONA_80_MODERATE = {  # 80, Beijing hukou, moderately disabled, at home, retired
    "birth_date": "1946-01-09",
    "sex": "female",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "district": "chaoyang",
    "capability_level": "moderate",
    "care_setting": "home",
    "receives": [],
    "employment_status": "retired",
    "disability_grade": 0,
    "medical_insurance": "resident",
    "household_size": 2,
    "household_monthly_income": 9000,
}

PERSONA_35_UNEMPLOYED = {  # 35, Beijing hukou, registered unemployed, no income
    "birth_date": "1991-03-02",
    "sex": "male",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "district": "chaoyang",
    "receives": [],
    "employment_status": "unemployed",
    "registered_unemployed": True,
    "employment_difficulty": False,
    "job_seeking_registered": False,
    "disability_grade": 0,
    "medical_insurance": "resident",
    "household_size": 1,
    "household_monthly_income": 0,
    "higher_ed_graduate": False,
    "veteran": False,
    "certificate_kind": "none",
}

PERSONA_5_DISABLED = {  # 5, Beijing hukou, disability certificate grade 2
    "birth_date": "2021-03-02",
    "sex": "male",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "district": "haidian",
    "receives": [],
    "disability_grade": 2,
    "medical_insurance": "resident",
    "household_size": 3,
    "household_monthly_income": 12000,
    "child_status": "none",
}


def asked(catalogue, persona: dict, as_of: str, pages: int = 60) -> list[str]:
    """The fact keys the questionnaire asks, in order, until nothing is left to ask."""
    questionnaire = Questionnaire({}, catalogue)
    day = dt.date.fromisoformat(as_of)
    keys: list[str] = []
    for _ in range(pages):
        page = questionnaire.next_page(questionnaire.screen(day))
        if not page:
            break
        keys += page
        values = {key: persona[key] for key in page if key in persona}
        questionnaire.record(page, values, {key for key in page if key not in persona})
    return keys
