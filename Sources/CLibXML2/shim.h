#ifndef NIANBAO_CLIBXML2_SHIM_H
#define NIANBAO_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 against ICU; its headers clash with Foundation's. We never use ICU through libxml2.
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// `xmlFree` is a global function pointer, which Swift 6 refuses to call as shared mutable state.
static inline void nianbao_xmlFree(void *pointer) { xmlFree(pointer); }

// The outline is built from SAX events, without libxml2's tree builder (SAX2.c). Two of the limits that can cut
// a page are enforced by that tree builder, not by the HTML parser: the depth of the node stack and the length of
// one text node. The reader checks them itself and reports them here exactly as the tree builder does (same
// code, message, level and parser state afterwards), so `xmlCtxtGetLastError` and the rest of the parse behave as
// they did with the tree. The reporting function is exported by libxml2 but declared only for its own sources.
extern void __xmlRaiseError(xmlStructuredErrorFunc schannel, xmlGenericErrorFunc channel, void *data, void *ctx,
                            void *node, int domain, int code, xmlErrorLevel level, const char *file, int line,
                            const char *str1, const char *str2, const char *str3, int int1, int col,
                            const char *msg, ...);

/// The depth the tree builder allows (`xmlParserMaxDepth`, 256 unless the process changed it).
static inline int nianbao_max_depth(void) { return (int) xmlParserMaxDepth; }

/// What `nodePush` does past the depth limit: a fatal "Excessive depth" error, then the parser halted.
static inline void nianbao_depth_exceeded(xmlParserCtxtPtr ctxt) {
    int errNo = ctxt->errNo;
    if (!(ctxt->disableSAX != 0 && ctxt->instate == XML_PARSER_EOF)) {
        errNo = XML_ERR_INTERNAL_ERROR;
        ctxt->errNo = XML_ERR_INTERNAL_ERROR;
        __xmlRaiseError(NULL, NULL, NULL, ctxt, NULL, XML_FROM_PARSER, XML_ERR_INTERNAL_ERROR, XML_ERR_FATAL,
                        NULL, 0, NULL, NULL, NULL, (int) xmlParserMaxDepth, 0,
                        "Excessive depth in document: %d use XML_PARSE_HUGE option\n", (int) xmlParserMaxDepth);
        ctxt->wellFormed = 0;
        if (ctxt->recovery == 0) ctxt->disableSAX = 1;
    }
    xmlStopParser(ctxt);   // xmlHaltParser, which is not exported, and errNo set to USER_STOP: put back
    ctxt->errNo = errNo;
}

/// What `xmlSAX2Characters` does when one text node would pass XML_MAX_TEXT_LENGTH: an out-of-memory error
/// "huge text node", then SAX disabled and the parser's state set to its end (the input is not freed).
static inline void nianbao_huge_text(xmlParserCtxtPtr ctxt) {
    const char *str1 = "out of memory\n";
    xmlStructuredErrorFunc schannel = NULL;
    ctxt->errNo = XML_ERR_NO_MEMORY;
    if (ctxt->sax != NULL && ctxt->sax->initialized == XML_SAX2_MAGIC) schannel = ctxt->sax->serror;
    __xmlRaiseError(schannel, ctxt->vctxt.error, ctxt->vctxt.userData, ctxt, NULL, XML_FROM_PARSER,
                    XML_ERR_NO_MEMORY, XML_ERR_ERROR, NULL, 0, str1, NULL, NULL, 0, 0,
                    "xmlSAX2Characters: huge text node");
    ctxt->errNo = XML_ERR_NO_MEMORY;
    ctxt->instate = XML_PARSER_EOF;
    ctxt->disableSAX = 1;
}

#endif
