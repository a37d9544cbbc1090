"""Residents the tests screen, as raw answers (the JSON an integrator or the form sends)."""

SENIOR_AT_HOME = {  # 82, Beijing hukou, assessed severely disabled, at home, receiving nothing
    "birth_date": "1944-03-02",
    "sex": "female",
    "hukou": "beijing",
    "capability_level": "severe",
    "care_setting": "home",
    "receives": [],
}

GRADUATE_2025 = {  # left school 2025-07-01, never employed, level-4 elderly care worker
    "birth_date": "2003-05-01",
    "employment_status": "unemployed",
    "hukou": "other",
    "registered_unemployed": False,
    "employment_difficulty": False,
    "higher_ed_graduate": True,
    "graduation_date": "2025-07-01",
    "employed_since_graduation": False,
    "certificate_kind": "skill_level",
    "certificate_level": 4,
    "certificate_occupation": "4-10-01-05",
    "certificate_issue_date": "2026-03-01",
    "certificate_already_subsidised": False,
    "skills_subsidy_received_before": False,
    "disability_grade": 0,
    "key_group_status_at_certificate": ["graduate_not_employed"],  # on the certificate date
}

B5_RESIDENT = {  # registered unemployed, level-5 government services clerk (tier B): 1000
    "birth_date": "1981-05-01",
    "employment_status": "unemployed",
    "hukou": "other",
    "registered_unemployed": True,
    "certificate_kind": "skill_level",
    "certificate_level": 5,
    "certificate_occupation": "3-01-01-02",
    "certificate_issue_date": "2026-03-01",
    "certificate_already_subsidised": False,
    "skills_subsidy_received_before": False,
    "disability_grade": 0,
    "key_group_status_at_certificate": ["registered_unemployed"],  # on the certificate date
}
