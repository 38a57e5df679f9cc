"""JUnit XML for CI test tabs: one testcase per document, one failure per error/warning finding.

Info findings go to the testcase's system-out.  The XML is built with ElementTree (which escapes
`<`, `&` and quotes); characters XML 1.0 cannot carry at all are stripped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from factcheck.records import Finding, Report, Severity
from factcheck.render import clean_text

XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Document text safe for an XML 1.0 attribute or element."""
    return XML_INVALID.sub("", clean_text(text))


def _finding_text(finding: Finding) -> str:
    lines = [finding.message]
    for ref in finding.claims:
        lines.append(f"  {ref.document}:{ref.line}:{ref.column}: {ref.text}")
    if finding.logic:
        lines.append(f"why: {finding.logic}")
    lines.append(f"fingerprint: {finding.fingerprint}")
    return "\n".join(xml_text(line) for line in lines)


def render_junit(report: Report) -> str:
    """Render the JUnit XML document (deterministic: no timestamps, no timings)."""
    by_doc: dict[str, list[Finding]] = {d.path: [] for d in report.documents}
    for finding in report.findings:
        for path in dict.fromkeys(c.document for c in finding.claims):
            by_doc.setdefault(path, []).append(finding)
    failing = sum(1 for fs in by_doc.values() if any(f.severity is not Severity.INFO for f in fs))
    root = ET.Element("testsuites", name="factcheck", tests=str(len(by_doc)), failures=str(failing),
                      errors="0")
    suite = ET.SubElement(root, "testsuite", name="factcheck", tests=str(len(by_doc)), failures=str(failing),
                          errors="0", skipped="0")
    for path, findings in by_doc.items():
        case = ET.SubElement(suite, "testcase", classname="factcheck", name=xml_text(path))
        notes = []
        for finding in findings:
            if finding.severity is Severity.INFO:
                notes.append(f"{finding.code} {_finding_text(finding)}")
                continue
            failure = ET.SubElement(case, "failure", type=finding.code,
                                    message=xml_text(f"{finding.code} {finding.rule}: {finding.message}"))
            failure.text = _finding_text(finding)
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
