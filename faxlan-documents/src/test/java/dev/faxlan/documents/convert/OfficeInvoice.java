package dev.faxlan.documents.convert;

/**
 * An invoice as a flat OpenDocument text (.fodt) for LibreOffice: a header paragraph in white bold on dark
 * navy, a table whose rows alternate light gray shading, and a line of mid-gray text.
 */
final class OfficeInvoice {

    static final String HEADER = "Northwind Traders Invoice";
    private static final String[][] ROWS = {
        {"Article", "Quantity", "Amount"},
        {"Walnut desk", "2", "410.00"},
        {"Office chair", "6", "534.00"},
        {"Filing cabinet", "3", "267.00"},
        {"Reading lamp", "10", "149.50"},
        {"Total", "21", "1360.50"},
    };
    private static final String GREY = "Thank you for your order and your prompt payment.";

    static final String TEXT;
    static final String FODT;

    static {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < ROWS.length; i++) {
            rows.append("<table:table-row>");
            for (String cell : ROWS[i]) {
                text.append(cell).append(' ');
                rows.append("<table:table-cell table:style-name=\"").append(i % 2 == 0 ? "Shaded" : "Plain")
                        .append("\" office:value-type=\"string\"><text:p text:style-name=\"Body\">").append(cell)
                        .append("</text:p></table:table-cell>");
            }
            text.append('\n');
            rows.append("</table:table-row>\n");
        }
        text.append(GREY).append('\n');
        TEXT = text.toString();
        FODT = """
                <?xml version="1.0" encoding="UTF-8"?>
                <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
                  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
                  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
                  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
                  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
                 <office:automatic-styles>
                  <style:style style:name="Header" style:family="paragraph">
                   <style:paragraph-properties fo:background-color="#1f3864" fo:padding="0.25cm"/>
                   <style:text-properties fo:color="#ffffff" fo:font-size="20pt" fo:font-weight="bold"/>
                  </style:style>
                  <style:style style:name="Body" style:family="paragraph">
                   <style:text-properties fo:font-size="12pt" fo:color="#000000"/>
                  </style:style>
                  <style:style style:name="Grey" style:family="paragraph">
                   <style:paragraph-properties fo:margin-top="0.5cm"/>
                   <style:text-properties fo:font-size="12pt" fo:color="#808080"/>
                  </style:style>
                  <style:style style:name="Shaded" style:family="table-cell">
                   <style:table-cell-properties fo:background-color="#d9d9d9" fo:padding="0.1cm" fo:border="none"/>
                  </style:style>
                  <style:style style:name="Plain" style:family="table-cell">
                   <style:table-cell-properties fo:padding="0.1cm" fo:border="none"/>
                  </style:style>
                 </office:automatic-styles>
                 <office:body><office:text>
                  <text:p text:style-name="Header">%s</text:p>
                  <table:table table:name="Items"><table:table-column table:number-columns-repeated="3"/>
                %s  </table:table>
                  <text:p text:style-name="Grey">%s</text:p>
                 </office:text></office:body>
                </office:document>
                """.formatted(HEADER, rows, GREY);
    }

    private OfficeInvoice() {
    }
}
