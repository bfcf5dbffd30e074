"""The anonymous code of a dossier for the commission, keyed by a secret only the service holds.

HMAC-SHA256 of the dossier's id under a key derived from AUDIT_KEY with HKDF and a label of its
own: no new secret to provision, yet the code's key is not the audit key (another label gives
an unrelated key). Without the key, a list of dossier ids matches no commission entry.
"""

import hashlib
import hmac
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

LABEL = b"action-sociale: anonymous codes for the CASS, v1"


def code_key(audit_key: bytes) -> bytes:
    """The key of the anonymous codes, derived from the deployment's audit key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(audit_key)


def anonymous_code(key: bytes, dossier_id: UUID) -> str:
    """A stable code for the commission that neither reveals nor lets anyone find the dossier."""
    digest = hmac.new(key, dossier_id.bytes, hashlib.sha256).hexdigest()
    return "ANO-" + digest[:10].upper()
