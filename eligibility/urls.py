from django.urls import path

from eligibility import household_views, views

app_name = "eligibility"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.question, name="question"),
    path("check/restart/", views.restart, name="restart"),
    path("check/answers/", views.answers, name="answers"),
    path("results/", views.results, name="results"),
    path("results/save/", views.save_result, name="save"),
    path("for/", household_views.start_for, name="start_for"),
    path("household/", household_views.members, name="household_members"),
    path("household/check/", household_views.question, name="household_question"),
    path("household/results/", household_views.results, name="household_results"),
    path("household/save/", household_views.save, name="household_save"),
    path("household/next/", household_views.next_resident, name="household_next"),
    path("r/", views.open_code, name="open_code"),
    path("r/<str:code>/", views.saved, name="saved"),
    path("r/<str:code>/sheet.pdf", views.saved_pdf, name="saved_pdf"),
    path("r/<str:code>/rescreen/", views.rescreen_saved, name="saved_rescreen"),
    path("r/<str:code>/change/", views.change_saved_answers, name="saved_change"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("library/", views.library, name="library"),
    path("library/<str:number>/", views.document, name="document"),
    path("preferences/elderly-mode/", views.toggle_elderly_mode, name="elderly_mode"),
]
