"""Journeys: a process instance made of standard steps, each done on whichever channel offers it.

General: a module defines its journey kinds (``definitions.define``) and marks steps done; this
package knows no module that uses it.
"""

from finlife.journeys.messages import MESSAGES
from finlife.kit.i18n import register

register(MESSAGES)
