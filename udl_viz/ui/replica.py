"""Behind ``python -m udl_viz serve``: tell a session that moved to this process from one that stopped.

When a process stops, its sessions' browsers reconnect through nginx to another process, which
starts a new session for each. A session that was running reruns there at once; an idle one keeps
showing its page, and reruns there with its next action (streamlit does not rerun an idle session
on reconnecting). Either way the first run on the new process shows ``MOVED_MESSAGE``.
"""

from __future__ import annotations

import os

import streamlit as st

#: This process's address, set by ``serve``; nginx's ``udl_viz_served_by`` cookie names the one that served the page.
REPLICA_ENV = "UDL_VIZ_REPLICA"
SERVED_BY_COOKIE = "udl_viz_served_by"
MOVED_KEY = "udl_viz_moved_noted"
MOVED_MESSAGE = ("This page moved to another server process because the one it was on stopped. The page, model, "
                 "image and settings in the address bar were kept; photos you uploaded need to be uploaded again.")


def moved_notice() -> None:
    """Show once, on the first run after a move, why the session started afresh."""
    own = os.environ.get(REPLICA_ENV)
    served = st.context.cookies.get(SERVED_BY_COOKIE)
    if not own or not served or served == own or st.session_state.get(MOVED_KEY):
        return
    st.session_state[MOVED_KEY] = True
    st.info(MOVED_MESSAGE, icon="🔁")
