"""Office files from plain descriptions: spreadsheets as ODS (odfpy) and XLSX (openpyxl), text
documents as ODT (odfpy).

workfiles.py says what a working file holds (a `Workbook` or a `Document`, built from the
Handbook); this module only knows how to write them, so both spreadsheet formats hold the same
cells, lists of choices and formulas. The files are reproducible: the same description gives
the same bytes (dates inside and in the archive are the content date, not the time of the
build), so an unchanged file never changes on the server or in a copy of the site.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from odf import dc, meta, style, table, text
from odf.element import Element
from odf.namespaces import LOEXTNS, nsdict
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet, OpenDocumentText
from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

GENERATOR = "FAASST Handbook"
HEADER_FILL = "DDE4EE"  # headers: dark text on light blue-grey (contrast well above 7:1)
INPUT_FILL = "FFF8DC"   # the cells to fill in: a pale yellow, as forms usually show them
BORDER = "7F7F7F"


# --- what a file holds ---------------------------------------------------------------------

@dataclass(frozen=True)
class Formula:
    """The same formula in both spreadsheet syntaxes (Excel A1 and OpenFormula)."""

    excel: str  # e.g. `=AVERAGE(E4:E9)`
    odf: str    # e.g. `of:=AVERAGE([.E4:.E9])`


Cell = str | int | float | Formula | None


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 4.0  # centimetres
    choices: str | None = None  # name of a list of Workbook.lists the cell offers
    whole: tuple[int, int] | None = None  # a whole number between these two
    input: bool = False  # a column to fill in (shown as such, validated)


@dataclass
class Table:
    """One worksheet: a title, a few lines of explanation, a header row, then rows — filled
    from the Handbook, followed by `blank_rows` empty ones to fill in."""

    name: str  # the tab's name (at most 31 characters, for Excel)
    title: str
    notes: list[str]
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    blank_rows: int = 0

    @property
    def header_row(self) -> int:
        """Spreadsheet row number (from 1) of the header."""
        return len(self.notes) + 3  # title, notes, an empty row

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + max(1, len(self.rows) + self.blank_rows)


@dataclass
class Workbook:
    title: str
    subject: str
    lang: str
    date: dt.date
    tables: list[Table]
    # The lists the cells offer: name → (column header, values), written on a last sheet
    # named `lists_name` (a list of choices longer than 255 characters must be a range).
    lists: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    lists_name: str = "Lists"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Fields:
    """Labels, each with a space to write in (a two-column table)."""

    labels: list[str]


@dataclass(frozen=True)
class Grid:
    """A table to fill in: headers, prefilled rows, empty rows."""

    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    blank_rows: int = 0


@dataclass
class Document:
    title: str
    subject: str
    lang: str
    date: dt.date
    blocks: list[Heading | Paragraph | Fields | Grid]


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    return get_column_letter(index + 1)


def average(table_name: str, column: int, first: int, last: int) -> Formula:
    """The average of a column's range on another sheet, empty while nothing is filled in."""
    letter = column_letter(column)
    excel_range = f"'{_quote(table_name)}'!{letter}{first}:{letter}{last}"
    odf_range = f"[$'{_quote(table_name)}'.{letter}{first}:.{letter}{last}]"
    return Formula(f'=IF(COUNT({excel_range})=0,"",ROUND(AVERAGE({excel_range}),1))',
                   f'of:=IF(COUNT({odf_range})=0;"";ROUND(AVERAGE({odf_range});1))')


def count(table_name: str, column: int, first: int, last: int) -> Formula:
    letter = column_letter(column)
    return Formula(f"=COUNT('{_quote(table_name)}'!{letter}{first}:{letter}{last})",
                   f"of:=COUNT([$'{_quote(table_name)}'.{letter}{first}:.{letter}{last}])")


def _quote(name: str) -> str:
    return name.replace("'", "''")


# --- ODS ---------------------------------------------------------------------------------

def write_ods(book: Workbook) -> bytes:
    doc = OpenDocumentSpreadsheet()
    _describe(doc, book.title, book.subject, book.lang, book.date)
    styles = _OdsStyles(doc, book.lang)
    validations = table.ContentValidations()
    list_ranges = _list_ranges(book)
    validation_names: dict[tuple, str] = {}

    def validation_for(sheet: Table, column: Column) -> str | None:
        if column.choices:
            letter, last = list_ranges[column.choices]
            condition = (f"of:cell-content-is-in-list([$'{_quote(book.lists_name)}'."
                         f"${letter}$2:.${letter}${last}])")
        elif column.whole:
            low, high = column.whole
            condition = (f"of:cell-content-is-whole-number() and "
                         f"cell-content-is-between({low},{high})")
        else:
            return None
        key = (condition,)
        if key not in validation_names:
            name = f"choice{len(validation_names) + 1}"
            validation_names[key] = name
            element = table.ContentValidation(name=name, condition=condition,
                                              allowemptycell="true", displaylist="unsorted",
                                              basecelladdress=f"'{_quote(sheet.name)}'.A1")
            validations.addElement(element)
        return validation_names[key]

    sheets = []
    for sheet in book.tables:
        widths = [column.width for column in sheet.columns]
        element = table.Table(name=sheet.name, stylename=styles.table)
        for width in widths:
            element.addElement(table.TableColumn(stylename=styles.column(width)))
        element.addElement(_ods_row([(sheet.title, styles.title)]))
        for note in sheet.notes:
            element.addElement(_ods_row([(note, styles.note)]))
        element.addElement(_ods_row([]))
        header = table.TableHeaderRows()
        header.addElement(_ods_row([(column.label, styles.header) for column in sheet.columns]))
        element.addElement(header)
        checks = [validation_for(sheet, column) for column in sheet.columns]
        cell_styles = [styles.input if column.input else styles.cell for column in sheet.columns]
        for values in sheet.rows:
            row = table.TableRow(stylename=styles.row)
            for n in range(len(sheet.columns)):
                value = values[n] if n < len(values) else None
                row.addElement(_ods_cell(value, cell_styles[n], checks[n]))
            element.addElement(row)
        if sheet.blank_rows:  # one row, repeated: the format's own way to say "n empty rows"
            row = table.TableRow(stylename=styles.row, numberrowsrepeated=sheet.blank_rows)
            for n in range(len(sheet.columns)):
                row.addElement(_ods_cell(None, cell_styles[n], checks[n]))
            element.addElement(row)
        sheets.append(element)
    if book.lists:
        sheets.append(_ods_lists(book, styles))
    if validation_names:
        doc.spreadsheet.addElement(validations)
    for element in sheets:
        doc.spreadsheet.addElement(element)
    return _save(doc, book.date)


def _list_ranges(book: Workbook) -> dict[str, tuple[str, int]]:
    """List name → (column letter on the lists sheet, last row)."""
    return {name: (column_letter(n), len(values) + 1)
            for n, (name, (_, values)) in enumerate(book.lists.items())}


def _ods_lists(book: Workbook, styles: _OdsStyles) -> table.Table:
    element = table.Table(name=book.lists_name, stylename=styles.table)
    lists = list(book.lists.values())
    for _ in lists:
        element.addElement(table.TableColumn(stylename=styles.column(7.0)))
    element.addElement(_ods_row([(label, styles.header) for label, _ in lists]))
    for n in range(max(len(values) for _, values in lists)):
        element.addElement(_ods_row([(values[n] if n < len(values) else None, styles.cell)
                                     for _, values in lists]))
    return element


def _ods_row(cells: list[tuple[Cell, str]]) -> table.TableRow:
    row = table.TableRow(stylename="row")
    for value, stylename in cells:
        row.addElement(_ods_cell(value, stylename))
    if not cells:
        row.addElement(table.TableCell())
    return row


def _ods_cell(value: Cell, stylename: str, validation: str | None = None) -> table.TableCell:
    extra = {"contentvalidationname": validation} if validation else {}
    if value is None or value == "":
        return table.TableCell(stylename=stylename, **extra)
    if isinstance(value, Formula):
        # The cached result is right for the empty form (""); the application recalculates
        # as soon as a cell is filled in.
        return table.TableCell(stylename=stylename, formula=value.odf, valuetype="string",
                               stringvalue="", **extra)
    if isinstance(value, (int, float)):
        cell = table.TableCell(stylename=stylename, valuetype="float", value=value, **extra)
        cell.addElement(text.P(text=str(value)))
        return cell
    cell = table.TableCell(stylename=stylename, valuetype="string", **extra)
    for line in str(value).split("\n"):
        cell.addElement(text.P(text=line))
    return cell


class _OdsStyles:
    def __init__(self, doc: OpenDocument, lang: str):
        self.doc = doc
        default = style.DefaultStyle(family="table-cell")
        default.addElement(style.TextProperties(language=lang, country="none",
                                                fontname="Liberation Sans", fontsize="10pt"))
        doc.styles.addElement(default)
        layout = style.PageLayout(name="landscape")
        properties = style.PageLayoutProperties(
            printorientation="landscape", pagewidth="29.7cm", pageheight="21cm",
            margintop="1.5cm", marginbottom="1.5cm", marginleft="1.5cm", marginright="1.5cm")
        # Printed one page wide, as many pages long as needed (LibreOffice's attributes:
        # ODF's own scale-to-pages would shrink the whole sheet onto one page).
        properties.setAttrNS(LOEXTNS, "scale-to-X", "1")
        properties.setAttrNS(LOEXTNS, "scale-to-Y", "0")
        layout.addElement(properties)
        doc.automaticstyles.addElement(layout)
        doc.masterstyles.addElement(style.MasterPage(name="Default", pagelayoutname=layout))
        self.table = self._add("table", "sheet", {}, table_properties={"display": "true"})
        line = f"0.5pt solid #{BORDER}"
        body = {"border": line, "wrapoption": "wrap", "verticalalign": "top",
                "padding": "0.05cm"}
        self.title = self._add("table-cell", "title", {}, text_properties={
            "fontweight": "bold", "fontsize": "14pt"})
        self.note = self._add("table-cell", "note", {}, text_properties={"fontsize": "9pt"})
        self.header = self._add("table-cell", "header", {**body, "backgroundcolor":
                                                         f"#{HEADER_FILL}"},
                                text_properties={"fontweight": "bold"})
        self.cell = self._add("table-cell", "cell", body)
        self.input = self._add("table-cell", "input", {**body, "backgroundcolor":
                                                       f"#{INPUT_FILL}"})
        self.columns: dict[float, str] = {}
        # Rows as tall as their wrapped text (applications do not work it out on opening).
        row = style.Style(name="row", family="table-row")
        row.addElement(style.TableRowProperties(useoptimalrowheight="true"))
        doc.automaticstyles.addElement(row)
        self.row = "row"

    def _add(self, family: str, name: str, cell_properties: dict,
             text_properties: dict | None = None, table_properties: dict | None = None) -> str:
        element = style.Style(name=name, family=family)
        if family == "table":
            element.setAttribute("masterpagename", "Default")
            element.addElement(style.TableProperties(**(table_properties or {})))
        if cell_properties:
            element.addElement(style.TableCellProperties(**cell_properties))
        if text_properties:
            element.addElement(style.TextProperties(**text_properties))
        self.doc.automaticstyles.addElement(element)
        return name

    def column(self, width: float) -> str:
        if width not in self.columns:
            name = f"col{len(self.columns) + 1}"
            element = style.Style(name=name, family="table-column")
            element.addElement(style.TableColumnProperties(columnwidth=f"{width}cm"))
            self.doc.automaticstyles.addElement(element)
            self.columns[width] = name
        return self.columns[width]


# --- XLSX --------------------------------------------------------------------------------

def write_xlsx(book: Workbook) -> bytes:
    workbook = XlsxWorkbook()
    workbook.remove(workbook.active)
    moment = dt.datetime.combine(book.date, dt.time())
    workbook.properties.creator = GENERATOR
    workbook.properties.title = book.title
    workbook.properties.subject = book.subject
    workbook.properties.language = book.lang
    workbook.properties.created = workbook.properties.modified = moment
    workbook.calculation.fullCalcOnLoad = True  # formulas carry no cached result
    for named in _xlsx_styles():
        workbook.add_named_style(named)
    list_ranges = _list_ranges(book)
    for sheet in book.tables:
        ws = workbook.create_sheet(sheet.name)
        ws.cell(1, 1, sheet.title).style = "hb title"
        for n, note in enumerate(sheet.notes, start=2):
            ws.cell(n, 1, note).style = "hb note"
        for n, column in enumerate(sheet.columns):
            ws.column_dimensions[column_letter(n)].width = round(column.width * 4.4, 1)
            ws.cell(sheet.header_row, n + 1, column.label).style = "hb header"
        rows = [*sheet.rows, *([[]] * sheet.blank_rows)]
        # Named styles: one lookup per cell instead of four style objects hashed per cell.
        cell_styles = ["hb input" if column.input else "hb cell" for column in sheet.columns]
        for r, values in enumerate(rows, start=sheet.first_row):
            for n in range(len(sheet.columns)):
                value = values[n] if n < len(values) else None
                cell = ws.cell(r, n + 1, value.excel if isinstance(value, Formula) else value)
                cell.style = cell_styles[n]
            lines = max([_lines(value, column.width) for value, column
                         in zip(values, sheet.columns)] or [1])
            if lines > 1:  # Excel does not fit rows to wrapped text when it opens a file
                ws.row_dimensions[r].height = 13 * lines + 2
        ws.row_dimensions[sheet.header_row].height = 13 * max(
            _lines(column.label, column.width) for column in sheet.columns) + 2
        for n, column in enumerate(sheet.columns):
            validation = _xlsx_validation(book, column, list_ranges)
            if validation is not None and rows:
                ws.add_data_validation(validation)
                letter = column_letter(n)
                validation.add(f"{letter}{sheet.first_row}:{letter}{sheet.last_row}")
        ws.freeze_panes = ws.cell(sheet.first_row, 1)
        ws.print_title_rows = f"{sheet.header_row}:{sheet.header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if book.lists:
        ws = workbook.create_sheet(book.lists_name)
        for n, (label, values) in enumerate(book.lists.values()):
            ws.column_dimensions[column_letter(n)].width = 40
            ws.cell(1, n + 1, label).font = Font(bold=True)
            for r, value in enumerate(values, start=2):
                ws.cell(r, n + 1, value)
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the time of the build as "modified".
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _reproducible_zip(buffer.getvalue(), book.date)


def _lines(value: Cell, width: float) -> int:
    """About how many lines a text takes in a column `width` cm wide (10-11 pt type)."""
    if not isinstance(value, str):
        return 1
    per_line = max(1, int(width * 5))
    return sum(max(1, -(-len(line) // per_line)) for line in value.split("\n"))


def _xlsx_styles() -> list[NamedStyle]:
    side = Side(style="thin", color=BORDER)
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="top")
    return [NamedStyle("hb title", font=Font(bold=True, size=14)),
            NamedStyle("hb note", font=Font(size=9)),
            NamedStyle("hb header", font=Font(bold=True), border=border, alignment=wrap,
                       fill=PatternFill("solid", fgColor=HEADER_FILL)),
            NamedStyle("hb cell", border=border, alignment=wrap),
            NamedStyle("hb input", border=border, alignment=wrap,
                       fill=PatternFill("solid", fgColor=INPUT_FILL))]


def _xlsx_validation(book: Workbook, column: Column,
                     list_ranges: dict[str, tuple[str, int]]) -> DataValidation | None:
    if column.choices:
        letter, last = list_ranges[column.choices]
        return DataValidation(type="list", allow_blank=True,
                              formula1=f"'{_quote(book.lists_name)}'!${letter}$2:${letter}${last}")
    if column.whole:
        low, high = column.whole
        return DataValidation(type="whole", operator="between", allow_blank=True,
                              formula1=str(low), formula2=str(high))
    return None


# --- ODT ---------------------------------------------------------------------------------

def write_odt(document: Document) -> bytes:
    doc = OpenDocumentText()
    _describe(doc, document.title, document.subject, document.lang, document.date)
    styles = _OdtStyles(doc, document.lang)
    doc.text.addElement(text.H(outlinelevel=1, stylename=styles.headings[1],
                               text=document.title))
    for number, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            doc.text.addElement(text.H(outlinelevel=block.level,
                                       stylename=styles.headings[min(block.level, 3)],
                                       text=block.text))
        elif isinstance(block, Paragraph):
            doc.text.addElement(text.P(stylename=styles.small if block.small else
                                       styles.body, text=block.text))
        elif isinstance(block, Fields):
            columns = [Column("", 5.0), Column("", 12.0, input=True)]
            doc.text.addElement(_odt_table(styles, f"fields{number}", columns,
                                           [[label, ""] for label in block.labels], 0,
                                           header=False))
        elif isinstance(block, Grid):
            doc.text.addElement(_odt_table(styles, f"grid{number}", block.columns, block.rows,
                                           block.blank_rows, header=True))
    return _save(doc, document.date)


def _odt_table(styles: _OdtStyles, name: str, columns: list[Column], rows: list[list[str]],
               blank_rows: int, header: bool) -> table.Table:
    element = table.Table(name=name, stylename=styles.table)
    for column in columns:
        element.addElement(table.TableColumn(stylename=styles.column(column.width)))

    def row_of(values: list[str], cell_style: str, paragraph_style: str,
               height: str | None = None) -> table.TableRow:
        row = table.TableRow(stylename=styles.row(height)) if height else table.TableRow()
        for n, column in enumerate(columns):
            fill = column.input and cell_style == styles.cell
            cell = table.TableCell(stylename=styles.input_cell if fill else cell_style,
                                   valuetype="string")
            cell.addElement(text.P(stylename=paragraph_style,
                                   text=values[n] if n < len(values) else ""))
            row.addElement(cell)
        return row

    if header:
        head = table.TableHeaderRows()
        head.addElement(row_of([column.label for column in columns], styles.header_cell,
                               styles.header_text))
        element.addElement(head)
    for values in rows:
        element.addElement(row_of(values, styles.cell, styles.cell_text, "0.9cm"))
    for _ in range(blank_rows):
        element.addElement(row_of([], styles.cell, styles.cell_text, "0.9cm"))
    return element


class _OdtStyles:
    def __init__(self, doc: OpenDocument, lang: str):
        self.doc = doc
        default = style.DefaultStyle(family="paragraph")
        default.addElement(style.TextProperties(language=lang, country="none",
                                                fontname="Liberation Sans", fontsize="10.5pt"))
        doc.styles.addElement(default)
        layout = style.PageLayout(name="a4")
        layout.addElement(style.PageLayoutProperties(
            pagewidth="21cm", pageheight="29.7cm", printorientation="portrait",
            margintop="1.8cm", marginbottom="1.8cm", marginleft="2cm", marginright="2cm"))
        doc.automaticstyles.addElement(layout)
        doc.masterstyles.addElement(style.MasterPage(name="Standard", pagelayoutname=layout))
        self.headings = {}
        for level, size in ((1, "18pt"), (2, "13pt"), (3, "11pt")):
            # Named like LibreOffice's own heading styles, so the document's outline and a
            # tagged PDF export know them as headings.
            heading = style.Style(name=f"Heading_20_{level}", displayname=f"Heading {level}",
                                  family="paragraph", defaultoutlinelevel=str(level))
            heading.addElement(style.ParagraphProperties(margintop="0.45cm",
                                                         marginbottom="0.2cm",
                                                         keepwithnext="always"))
            heading.addElement(style.TextProperties(fontweight="bold", fontsize=size))
            doc.styles.addElement(heading)
            self.headings[level] = heading.getAttribute("name")
        self.body = self._paragraph("Body", "10.5pt", margin="0.2cm")
        self.small = self._paragraph("Small", "9pt", margin="0.15cm")
        self.cell_text = self._paragraph("CellText", "10pt")
        self.header_text = self._paragraph("CellHeader", "10pt", bold=True)
        self.table = "Grid"
        grid = style.Style(name=self.table, family="table")
        grid.addElement(style.TableProperties(width="17cm", align="left",
                                              margintop="0.1cm", marginbottom="0.3cm"))
        doc.automaticstyles.addElement(grid)
        line = f"0.5pt solid #{BORDER}"
        self.cell = self._cell("Cell", {"border": line, "padding": "0.1cm"})
        self.input_cell = self._cell("InputCell", {"border": line, "padding": "0.1cm",
                                                   "backgroundcolor": f"#{INPUT_FILL}"})
        self.header_cell = self._cell("HeaderCell", {"border": line, "padding": "0.1cm",
                                                     "backgroundcolor": f"#{HEADER_FILL}"})
        self.columns: dict[float, str] = {}
        self.rows: dict[str, str] = {}

    def _paragraph(self, name: str, size: str, bold: bool = False, margin: str = "0cm") -> str:
        element = style.Style(name=name, family="paragraph")
        element.addElement(style.ParagraphProperties(marginbottom=margin))
        element.addElement(style.TextProperties(fontsize=size,
                                                fontweight="bold" if bold else "normal"))
        self.doc.styles.addElement(element)
        return name

    def _cell(self, name: str, properties: dict) -> str:
        element = style.Style(name=name, family="table-cell")
        element.addElement(style.TableCellProperties(**properties))
        self.doc.automaticstyles.addElement(element)
        return name

    def column(self, width: float) -> str:
        if width not in self.columns:
            name = f"Column{len(self.columns) + 1}"
            element = style.Style(name=name, family="table-column")
            element.addElement(style.TableColumnProperties(columnwidth=f"{width}cm"))
            self.doc.automaticstyles.addElement(element)
            self.columns[width] = name
        return self.columns[width]

    def row(self, height: str) -> str:
        if height not in self.rows:
            name = f"Row{len(self.rows) + 1}"
            element = style.Style(name=name, family="table-row")
            element.addElement(style.TableRowProperties(minrowheight=height))
            self.doc.automaticstyles.addElement(element)
            self.rows[height] = name
        return self.rows[height]


# --- shared ------------------------------------------------------------------------------

def _describe(doc: OpenDocument, title: str, subject: str, lang: str, date: dt.date) -> None:
    # Liberation Sans is metric-compatible with Arial, which every office suite substitutes.
    doc.fontfacedecls.addElement(style.FontFace(
        name="Liberation Sans", fontfamily="'Liberation Sans'", fontfamilygeneric="swiss",
        fontpitch="variable"))
    stamp = dt.datetime.combine(date, dt.time()).isoformat()
    doc.meta.addElement(dc.Title(text=title))
    doc.meta.addElement(dc.Subject(text=subject))
    doc.meta.addElement(dc.Language(text=lang))
    doc.meta.addElement(meta.CreationDate(text=stamp))
    doc.meta.addElement(dc.Date(text=stamp))


def _save(doc: OpenDocument, date: dt.date) -> bytes:
    # odfpy declares, in every file it writes, the namespaces any element of the process used
    # so far (a dict shared by all elements): declare all it knows, in a fixed order, so that
    # the bytes do not depend on what was written before.
    Element.namespaces.clear()
    Element.namespaces.update(sorted(nsdict.items()))
    buffer = io.BytesIO()
    doc.write(buffer)
    return _reproducible_zip(buffer.getvalue(), date)


def _reproducible_zip(data: bytes, date: dt.date) -> bytes:
    """The same archive with every entry dated `date`: the libraries stamp the time of the
    build, which would make every build publish new bytes. Entry order and compression are
    kept (ODF needs `mimetype` first and stored)."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            copy = zipfile.ZipInfo(entry.filename, stamp)
            copy.compress_type = entry.compress_type
            copy.external_attr = entry.external_attr
            target.writestr(copy, source.read(entry.filename))
    return out.getvalue()
