from django.urls import path

from .views import events, fair, report, showcase

app_name = "events"

urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("programme/<int:year>/", events.programme, name="programme"),
    # report: the event report (page and PDF) with its follow-ups, share-and-show, the annual fair
    path("<int:pk>/report/", report.report_page, name="report"),
    path("<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("<int:pk>/report/people/", report.report_people, name="report_people"),
    path("<int:pk>/follow-ups/", report.follow_up_add, name="follow_up_add"),
    path("<int:pk>/follow-ups/<int:follow_up_pk>/done/", report.follow_up_done, name="follow_up_done"),
    path("<int:pk>/showcase/", showcase.showcase_page, name="showcase"),
    path("<int:pk>/showcase/submit/", showcase.submit, name="showcase_submit"),
    path("<int:pk>/showcase/<int:submission_pk>/withdraw/", showcase.withdraw, name="showcase_withdraw"),
    path("<int:pk>/showcase/<int:submission_pk>/decide/", showcase.decide, name="showcase_decide"),
    path("<int:pk>/showcase/<int:submission_pk>/vote/", showcase.vote, name="showcase_vote"),
    path("<int:pk>/results/", showcase.results, name="results"),
    path("fair/", fair.fair_page, name="fair"),
    path("<int:pk>/fair/", fair.fair_event, name="fair_event"),
]
