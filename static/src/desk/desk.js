/** @odoo-module **/

import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The circulation desk: scan a member card, then copies to lend, return or renew.
 * Every call returns the member's whole picture, so the screen redraws from one answer;
 * a refusal comes back as the server's message and is shown in the feedback line.
 */
export class LibraryDesk extends Component {
    static template = "university_library.Desk";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.memberInput = useRef("memberInput");
        this.copyInput = useRef("copyInput");
        this.state = useState({
            memberCode: "",
            copyBarcode: "",
            mode: "checkout",
            data: null,
            feedback: null,
            busy: false,
        });
        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onBarcodeScanned(ev.detail.barcode));
        onMounted(() => this.memberInput.el?.focus());
    }

    get modes() {
        return [
            { id: "checkout", label: _t("Lend") },
            { id: "return", label: _t("Return") },
            { id: "renew", label: _t("Renew") },
        ];
    }

    async call(method, args, okFeedback = true) {
        this.state.busy = true;
        try {
            const data = await this.orm.call("library.desk", method, args);
            this.state.data = data;
            this.state.feedback = data.message && okFeedback ? { type: "success", text: data.message } : null;
            return true;
        } catch (error) {
            const text = error?.data?.message || error?.message || String(error);
            this.state.feedback = { type: "danger", text };
            return false;
        } finally {
            this.state.busy = false;
        }
    }

    async onBarcodeScanned(code) {
        if (!this.state.data || this.state.data.member.code === code) {
            this.state.memberCode = code;
            await this.scanMember();
        } else {
            this.state.copyBarcode = code;
            await this.scanCopy();
        }
    }

    async scanMember(ev) {
        ev?.preventDefault();
        const code = this.state.memberCode.trim();
        if (!code) {
            return;
        }
        if (await this.call("desk_scan_member", [code])) {
            this.state.feedback = null;
            this.copyInput.el?.focus();
        }
    }

    async scanCopy(ev) {
        ev?.preventDefault();
        const barcode = this.state.copyBarcode.trim();
        if (!barcode) {
            return;
        }
        const memberId = this.state.data?.member.id || false;
        if (this.state.mode === "return") {
            await this.call("desk_return", [barcode, memberId]);
        } else if (!memberId) {
            this.state.feedback = { type: "warning", text: _t("Scan a member card first.") };
            return;
        } else if (this.state.mode === "renew") {
            await this.call("desk_renew", [memberId, barcode]);
        } else {
            await this.call("desk_checkout", [memberId, barcode]);
        }
        this.state.copyBarcode = "";
        this.copyInput.el?.focus();
    }

    setMode(mode) {
        this.state.mode = mode;
        this.copyInput.el?.focus();
    }

    async returnLoan(loan) {
        await this.call("desk_return", [loan.barcode, this.state.data.member.id]);
    }

    async renewLoan(loan) {
        await this.call("desk_renew", [this.state.data.member.id, loan.barcode]);
    }

    openMember() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "library.member",
            res_id: this.state.data.member.id,
            views: [[false, "form"]],
        });
    }

    takePayment() {
        const memberId = this.state.data.member.id;
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "library.take.payment",
            views: [[false, "form"]],
            target: "new",
            name: _t("Take payment"),
            context: { default_member_id: memberId },
        }, {
            onClose: () => this.call("desk_scan_member", [this.state.data.member.code], false),
        });
    }

    clear() {
        Object.assign(this.state, { memberCode: "", copyBarcode: "", data: null, feedback: null, mode: "checkout" });
        this.memberInput.el?.focus();
    }
}

registry.category("actions").add("university_library.desk", LibraryDesk);
