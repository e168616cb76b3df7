"""Read an explorer page (tests' own knowledge of its markup, class names included) into a neutral
model that the markup writers render again. Only the texts and their order matter: what the page
shows is kept, how it was marked up is not."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html
from lxml.etree import _Element


@dataclass
class Run:
    text: str
    code: bool = False


@dataclass
class Para:
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Field:
    name: str
    type: str
    badge: str | None  # "Required" / "必填", None when optional
    paras: list[Para] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Text:
    para: Para


@dataclass
class Tabs:
    labels: list[str]


@dataclass
class Fields:
    items: list[Field]
    caption: str  # the heading the list sits under ("Body Fields", "200 OK")


@dataclass
class Code:
    text: str
    lang: str  # "bash" | "json" | "text"


@dataclass
class EndpointLine:
    method: str
    path: str


@dataclass
class Facts:
    items: list[tuple[str, str, str | None]]  # term, text, href


@dataclass
class Status:
    text: str


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Button:
    label: str


Block = Heading | Text | Tabs | Fields | Code | EndpointLine | Facts | Status | Link | Button


@dataclass
class Section:
    id: str
    blocks: list[Block]


@dataclass
class Page:
    lang: str  # the html lang attribute ("en" / "zh-CN")
    head_title: str
    skip: str  # the skip link's text
    meta_description: str
    canonical: str
    brand: str
    navbar_links: list[tuple[str, str]]
    sidebar: list[str]
    active: str
    breadcrumb: list[str]
    badges: list[str]  # method, group, since?, mode, auth, in order
    title: str
    summary: str
    sections: list[Section]
    footer: str
    state: str  # the JSON state script (noise)

    @property
    def zh(self) -> bool:
        return self.lang.lower().startswith("zh")


def _cls(element: _Element) -> list[str]:
    return (element.get("class") or "").split()


def _text(element: _Element) -> str:
    return str(element.text_content())


def _para(p: _Element) -> Para:
    runs = [Run(p.text)] if p.text else []
    for child in p:
        runs.append(Run(_text(child), code=child.tag == "code"))
        if child.tail:
            runs.append(Run(child.tail))
    return Para(runs)


def _field(li: _Element) -> Field:
    row = li.find("div")
    assert row is not None
    spans = {(_cls(s) or [""])[0]: _text(s) for s in row.findall("span")}
    item = Field(spans["nm"], spans["ty"], spans.get("badge"))
    for child in li:
        if child.tag == "p":
            item.paras.append(_para(child))
        elif child.tag == "ul":
            item.children = [_field(c) for c in child.findall("li")]
    return item


def _blocks(container: _Element, out: list[Block], caption: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag in ("h2", "h3"):
            caption[0] = _text(child)
            out.append(Heading(int(tag[1]), _text(child)))
        elif tag == "p":
            out.append(Text(_para(child)))
        elif tag == "ul":
            out.append(Fields([_field(li) for li in child.findall("li")], caption[0]))
        elif tag == "pre":
            code = child.find("code")
            classes = _cls(child)
            lang = next((c.split("-", 1)[1] for c in classes if c.startswith("language-")), "text")
            out.append(Code(_text(code if code is not None else child), lang))
        elif tag == "dl":
            items = []
            for dt in child.findall("dt"):
                dd = dt.getnext()
                assert dd is not None
                link = dd.find("a")
                items.append((_text(dt), _text(dd), link.get("href") if link is not None else None))
            out.append(Facts(items))
        elif tag == "a":
            out.append(Link(_text(child), child.get("href") or "#"))
        elif tag == "button":
            out.append(Button(child.get("aria-label") or _text(child)))
        elif tag == "span":
            out.append(Status(_text(child)))
        elif tag == "div" and "tabs" in _cls(child):
            out.append(Tabs([_text(b) for b in child.findall("button")]))
        elif tag == "div" and "endpoint" in _cls(child):
            method, path = (_text(s) for s in child.findall("span"))
            out.append(EndpointLine(method, path))
        elif tag == "div":
            _blocks(child, out, caption)
        else:
            raise ValueError(f"unexpected <{tag}> in an explorer section")


def read_explorer(src: str) -> Page:
    root = lxml_html.document_fromstring(src)
    head = root.find("head")
    assert head is not None
    article = root.find(".//article")
    assert article is not None
    navbar = root.find(".//nav[@aria-label='Main']")
    assert navbar is not None
    crumbs = article.find("nav")
    assert crumbs is not None
    meta = article.find("div")
    assert meta is not None
    h1, summary = article.find(".//h1"), article.find(".//header/p")
    assert h1 is not None and summary is not None
    sidebar = [a for a in root.iterfind(".//aside//a")]
    active = next((_text(a) for a in sidebar if a.get("aria-current")), "")
    sections = []
    for section in article.findall("section"):
        blocks: list[Block] = []
        _blocks(section, blocks, [""])
        sections.append(Section(section.get("id") or "facts", blocks))
    footer = root.find(".//footer")
    state = root.find(".//script[@type='application/json']")

    def head_value(xpath: str, attr: str) -> str:
        found = head.xpath(xpath)
        return str(found[0].get(attr)) if found else ""

    return Page(
        lang=root.get("lang") or "en",
        head_title=_text(head.find("title")) if head.find("title") is not None else "",
        skip=_text(root.xpath("//body//a")[0]),
        meta_description=head_value("meta[@name='description']", "content"),
        canonical=head_value("link[@rel='canonical']", "href"),
        brand=_text(navbar.xpath(".//b")[0]),
        navbar_links=[(_text(a), a.get("href") or "#") for a in navbar.iterfind(".//a") if not a.findall("b")],
        sidebar=[_text(a) for a in sidebar],
        active=active,
        breadcrumb=[_text(x) for x in crumbs.iter("a", "span") if "breadcrumbs__sep" not in _cls(x)],
        badges=[_text(s) for s in meta.findall("span")],
        title=_text(h1),
        summary=_text(summary),
        sections=sections,
        footer=_text(footer) if footer is not None else "",
        state=state.text or "" if state is not None else "",
    )


def strip_field_lists(src: str) -> str:
    """The explorer page with every field list (request and response) removed, headings left."""
    root = lxml_html.document_fromstring(src)
    for ul in root.xpath("//article//ul"):
        if ul.getparent() is not None:
            ul.getparent().remove(ul)
    return "<!DOCTYPE html>\n" + lxml_html.tostring(root, encoding="unicode")


def walk(fields: list[Field], depth: int = 0) -> list[tuple[int, Field]]:
    """Fields depth first, with their depth (0 = top level)."""
    out: list[tuple[int, Field]] = []
    for item in fields:
        out.append((depth, item))
        out += walk(item.children, depth + 1)
    return out
