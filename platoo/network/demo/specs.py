"""The shapes the demo network is written in: plain data, turned into rows by the loader."""

from dataclasses import dataclass, field

from platoo.knowledge.models import License
from platoo.lib.visibility import Visibility


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name_th: str
    name_en: str
    sector: str
    province: str  # an English province name from platoo.lib.provinces
    website: str
    description: str


@dataclass(frozen=True)
class PersonSpec:
    username: str
    org: str  # OrgSpec.code
    name_th: str
    name_en: str
    position: str
    roles: tuple[str, ...]  # KMRole values
    expertise: tuple[str, ...]
    bio: str
    joined_days_ago: int = 760


@dataclass(frozen=True)
class Edit:
    """A later save of an item, made through do_update_item by one of its authors."""

    by: str
    days_after: int  # after the item was created
    message: str
    changes: dict[str, str] = field(default_factory=dict)  # ItemData fields or the kind's own fields
    append: str = ""  # Markdown added at the end of the body
    add_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remark:
    """A comment on an item."""

    by: str
    days_after: int
    text: str


@dataclass(frozen=True)
class DocxFile:
    name: str
    heading: str
    paragraphs: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = ()  # first row is the header


@dataclass(frozen=True)
class XlsxFile:
    name: str
    sheet: str
    rows: tuple[tuple[str | int | float, ...], ...]  # first row is the header


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    title: str
    summary: str
    body: str
    by: str  # the author who creates it; the item belongs to their organization
    days_ago: int
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    coauthors: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)  # aar_* or bp_* fields
    license: str = License.CC_BY
    visibility: str = Visibility.NETWORK
    views: int = 0
    edits: tuple[Edit, ...] = ()
    remarks: tuple[Remark, ...] = ()
    files: tuple[DocxFile | XlsxFile, ...] = ()
