"""The staff console router: login, dashboard, guides, Digipunten, organisations, unmatched, simulator, history."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from bot import simulator
from bot.console.auth import STAFF_ROLES, csrf_guard, login_router, role_guard
from bot.console.dashboard import CHANNELS, build_dashboard, make_period
from bot.console.outbound_figures import outbound_figures
from bot.console.pages_bookings import add_booking_routes, weekly_counts
from bot.console.pages_broadcasts import add_broadcast_routes
from bot.console.pages_guides import add_guide_routes
from bot.console.pages_history import add_history_routes
from bot.console.pages_organisations import add_organisation_routes
from bot.console.pages_places import add_place_routes
from bot.console.pages_problems import add_problem_routes
from bot.console.pages_translations import add_translation_routes
from bot.console.pages_unmatched import add_unmatched_routes
from bot.console.pages_voice import add_voice_routes
from bot.console.web import Console, Viewer, install, redirect
from bot.runtime import Deps
from bot.settings import Settings
from places.hours import TIMEZONE, local
from storage.db import read_session


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    console = install(app, deps, settings)
    staff = role_guard(console, STAFF_ROLES)
    StaffViewer = Annotated[Viewer, Depends(staff)]
    api = APIRouter(dependencies=[Depends(csrf_guard(console))])
    api.include_router(login_router(console))

    @api.get("/console")
    def dashboard(request: Request, start: str = "", end: str = "", *, viewer: StaffViewer) -> Response:
        return dashboard_page(console, request, viewer, start, end)

    add_guide_routes(api, console, staff)
    add_history_routes(api, console, staff)
    add_place_routes(api, console, staff)
    add_organisation_routes(api, console, staff)
    add_unmatched_routes(api, console, staff)
    add_voice_routes(api, console, staff)
    add_problem_routes(api, console, staff)
    add_translation_routes(api, console, staff)
    add_broadcast_routes(api, console, staff)
    add_booking_routes(api, console, staff)

    @api.get("/console/chat")
    def simulator_page(viewer: StaffViewer) -> Response:
        return redirect("/console/simulator")  # the simulator is its own page: no page may frame another

    api.include_router(simulator.router(deps, prefix="/console/simulator", console=True),
                       dependencies=[Depends(staff)])
    return api


def dashboard_page(console: Console, request: Request, viewer: Viewer, start: str, end: str) -> Response:
    period = make_period(start or None, end or None, local(console.now()).date(), TIMEZONE)
    guides = console.deps.library().guides  # before the session: one connection at a time
    with read_session(console.deps.db) as session:
        figures = build_dashboard(session, period, guides)
        outbound = outbound_figures(session, period.days(), TIMEZONE)
        booking_weeks = weekly_counts(session, period.start - timedelta(days=period.start.weekday()),
                                      (period.end - period.start).days // 7 + 1)
    busiest = max((sum(counts.values()) for _, counts in figures.per_day), default=0)
    return console.render(
        request, "dashboard.html", viewer=viewer, d=figures, channels=CHANNELS, busiest=max(busiest, 1),
        outbound=outbound, booking_weeks=booking_weeks,
    )
