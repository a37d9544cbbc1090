"""Resident pages for screening someone else or a whole household: who it is for, the members,
their questions, the household's results and sheet, and opening a sheet by its code.

Views are thin: the state lives in `eligibility.household_session`, outcomes come from
`rules.household`. Like the one-person pages, everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from benefits.snapshot import get_catalogue
from eligibility import sheets
from eligibility.formatting import active_lang
from eligibility.forms import QuestionPageForm, initial_values
from eligibility.household_session import (
    FAMILY_RELATIONS,
    HOUSEHOLD,
    HouseholdSession,
)
from eligibility.questionnaire import Questionnaire
from eligibility.results import deciding_questions, group_results
from eligibility.throttling import client_address, screening_rate
from rules import engine, household
from rules.catalogue import Text
from rules.facts import message
from rules.wording import about_them

RELATION_NAMES = {
    "self": gettext_lazy("Myself"),
    "spouse": gettext_lazy("Spouse"),
    "child": gettext_lazy("Child"),
    "parent": gettext_lazy("Parent"),
    "grandparent": gettext_lazy("Grandparent"),
    "grandchild": gettext_lazy("Grandchild"),
    "sibling": gettext_lazy("Brother or sister"),
    "other": gettext_lazy("Other"),
}
WHO_FOR = ("myself", *FAMILY_RELATIONS, "household", "helper")


def member_labels(members: list[dict[str, Any]]) -> dict[str, str]:
    """ "Child", "Child 2", … "Parent (born 1946)": how pages name a member (never by name)."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for member in members:
        relation = member["relation"]
        seen[relation] = seen.get(relation, 0) + 1
        name = str(RELATION_NAMES.get(relation, relation))
        if seen[relation] > 1:
            name = f"{name} {seen[relation]}"
        born = str(member["answers"].get("birth_date", ""))[:4]
        labels[member["id"]] = (
            _("%(name)s (born %(year)s)") % {"name": name, "year": born} if born else name
        )
    return labels


@require_POST
def start_for(request: HttpRequest) -> HttpResponse:
    """The start page's "who is this for": myself keeps the one-person questionnaire."""
    choice = request.POST.get("for", "myself")
    if choice not in WHO_FOR or choice == "myself":
        return redirect("eligibility:question")
    state = HouseholdSession(request.session, get_catalogue())
    state.begin("family" if choice in FAMILY_RELATIONS else choice)
    relation = choice if choice in FAMILY_RELATIONS else ("other" if choice == "helper" else "")
    url = "eligibility:household_members"
    return redirect(f"{reverse(url)}?relation={relation}" if relation else reverse(url))


@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    """The people screened: a relation and a birth date each (no names)."""
    state = HouseholdSession(request.session, get_catalogue())
    error = ""
    relation = request.GET.get("relation") or ("self" if not state.members else "child")
    if request.method == "POST":
        if "remove" in request.POST:
            state.remove_member(request.POST["remove"])
            return redirect("eligibility:household_members")
        relation = request.POST.get("relation", "")
        birth_date = request.POST.get("birth_date", "").strip()
        code = state.add_member(relation, birth_date, timezone.localdate())
        if code is None:
            if state.single:
                return redirect("eligibility:household_question")
            return redirect("eligibility:household_members")
        error = message(code, active_lang(), **_limits(code))
    return render(
        request,
        "eligibility/household_members.html",
        {
            "state": state,
            "labels": member_labels(state.members),
            "relations": [(key, RELATION_NAMES[key]) for key in household.RELATIONS],
            "relation": relation,
            "error": error,
            "can_add": not (state.single and state.members),
        },
    )


def _limits(code: str) -> dict[str, Any]:
    """The values a birth-date message names."""
    today = timezone.localdate().isoformat()
    return {
        "question": _("Date of birth"),
        "limit": "1900-01-01",
        "as_of": today,
        "choices": ", ".join(household.RELATIONS),
    }


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def question(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    state = HouseholdSession(request.session, catalogue)
    if not state.members:
        return redirect("eligibility:household_members")
    today = timezone.localdate()
    lang = active_lang()
    if request.method == "POST":
        who = request.POST.get("who", "")
        keys = [k for k in request.POST.getlist("page") if k in catalogue.facts]
    else:
        who, keys = state.next_page(state.screen(today))
    if not keys or (who != HOUSEHOLD and state.member(who) is None):
        return redirect("eligibility:household_results")
    specs = state.worded(who, keys)
    if request.method == "POST":
        form = QuestionPageForm(specs, catalogue, lang, request.POST, as_of=today)
        if form.is_valid():
            state.record(who, form.answers, form.skipped, keys)
            return redirect("eligibility:household_question")
    else:
        initial = initial_values(specs, state.raw_of(who))
        form = QuestionPageForm(specs, catalogue, lang, initial=initial)
    labels = member_labels(state.members)
    return render(
        request,
        "eligibility/household_question.html",
        {
            "form": form,
            "keys": keys,
            "who": who,
            "about": _about(state, who, labels),
            "labels": labels,
        },
    )


def _about(state: HouseholdSession, who: str, labels: dict[str, str]) -> str:
    """Whom a page of questions is about: a member, or the household (the one person's own
    when screening a single family member or resident)."""
    if who != HOUSEHOLD:
        return labels.get(who, "")
    if state.single and state.members:
        return labels.get(state.members[0]["id"], "")
    return str(_("Your household"))


def _summary_rows(screened: household.HouseholdScreening, labels: dict[str, str]) -> list:
    """(who, totals, may qualify) for each member and the household's own programmes."""
    rows: list[tuple[str, household.Totals, household.Totals]] = [
        (labels.get(m.member.id, m.member.id), m.totals, m.may_qualify) for m in screened.members
    ]
    programmes = list(screened.household_results)
    rows.append(
        (
            str(_("The whole household")),
            household.sum_amounts(programmes),
            household.sum_amounts(programmes, "unknown"),
        )
    )
    return rows


def _member_section(catalogue, member: household.MemberScreening, label: str) -> dict:
    """One member's results as the pages show them: unknown results only another stage of
    life could decide are set apart."""
    groups = group_results(household_results_as_screening(member.results, member.screening.as_of))
    aside = [r for r in groups.unknown if r.programme.slug in member.not_at_this_age]
    groups.unknown = [r for r in groups.unknown if r not in aside]
    someone_else = member.member.relation != "self"
    return {
        "id": member.member.id,
        "label": label,
        "groups": groups,
        "not_at_this_age": aside,
        "totals": member.totals,
        "may_qualify": member.may_qualify,
        "deciding": {
            r.programme.slug: _worded(deciding_questions(catalogue, r), someone_else)
            for r in groups.unknown
        },
    }


def household_context(catalogue, screened, raw_members: list[dict[str, Any]]) -> dict:
    """What the results page and the sheet show for a household."""
    labels = member_labels(raw_members)
    sections = [
        _member_section(catalogue, m, labels.get(m.member.id, m.member.id))
        for m in screened.members
    ]
    shared = group_results(household_results_as_screening(screened.household_results, None))
    return {
        "household": screened,
        "sections": sections,
        "shared_groups": shared,
        "shared_deciding": {
            r.programme.slug: deciding_questions(catalogue, r) for r in shared.unknown
        },
        "summary": _summary_rows(screened, labels),
        "names": {p.slug: p.name for p in catalogue.programmes},
        "has_totals": not (screened.totals.empty and screened.may_qualify.empty),
    }


def _worded(questions: list[Text], about_someone_else: bool) -> list[Text]:
    return [about_them(q) for q in questions] if about_someone_else else questions


def household_results_as_screening(results, as_of) -> engine.Screening:
    """Results in the shape `group_results` reads."""
    return engine.Screening(as_of, tuple(results), ())


def results(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    state = HouseholdSession(request.session, catalogue)
    if not state.members:
        return redirect("eligibility:household_members")
    screened = state.screen(timezone.localdate())
    context = household_context(catalogue, screened, state.members)
    context["state"] = state
    context["open_questions"] = bool(state.next_page(screened)[1])
    return render(request, "eligibility/household_results.html", context)


@require_POST
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def save(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    state = HouseholdSession(request.session, catalogue)
    if not state.members:
        return redirect("eligibility:household_members")
    screened = state.screen(timezone.localdate())
    saved = sheets.save_household_sheet(
        catalogue, screened, dict(state.shared), list(state.members), active_lang()
    )
    request.session["household_last_mode"] = state.mode
    return redirect("eligibility:saved", code=saved.code)


@require_POST
def next_resident(request: HttpRequest) -> HttpResponse:
    """A community worker's next resident: a clean screening, nothing carried over."""
    HouseholdSession(request.session, get_catalogue()).begin("helper")
    Questionnaire(request.session, get_catalogue()).reset()
    request.session.pop("household_last_mode", None)
    return redirect(f"{reverse('eligibility:household_members')}?relation=other")
