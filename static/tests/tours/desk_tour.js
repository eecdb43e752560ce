/** @odoo-module **/

import { registry } from "@web/core/registry";

function scanCopy(barcode) {
    return [
        { trigger: ".o_library_copy_barcode", run: `edit ${barcode}` },
        { trigger: ".o_library_copy_scan:enabled", run: "click" },
    ];
}

registry.category("web_tour.tours").add("university_library_desk_tour", {
    steps: () => [
        { trigger: ".o_library_member_code", run: "edit TOURCARD" },
        { trigger: ".o_library_member_scan", run: "click" },
        { trigger: ".o_library_member_card:contains(Tour Reader)" },
        { trigger: ".o_library_loan_count:contains(0 / 2)" },
        ...scanCopy("TOUR-1"),
        { trigger: ".o_library_feedback.alert-success:contains(Lent [TOUR-1])" },
        ...scanCopy("TOUR-2"),
        { trigger: ".o_library_feedback.alert-success:contains(Lent [TOUR-2])" },
        { trigger: ".o_library_loan_count:contains(2 / 2)" },
        ...scanCopy("TOUR-3"),
        {
            content: "The third item is refused: the limit is two",
            trigger: ".o_library_feedback.alert-danger:contains(already has 2 item(s) on loan; the limit for)",
        },
        { trigger: ".o_library_mode_return", run: "click" },
        ...scanCopy("TOUR-1"),
        { trigger: ".o_library_feedback.alert-success:contains(Returned [TOUR-1])" },
        { trigger: ".o_library_loan_count:contains(1 / 2)" },
        { trigger: ".o_library_loans:not(:contains(TOUR-1))" },
    ],
});
