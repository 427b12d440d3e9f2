/** @odoo-module **/
// What a shop owner does, click by click (run by tests/test_ui_tours.py in headless Chromium).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// Create a store (its URL and keys come prefilled from the test's store emulator), test the connection,
// set it up from the store, sync now and watch the run, then let Odoo send "Order received" and preview it.
tours.add("wc_store_owner_tour", {
    steps: () => [
        { content: "New store", trigger: ".o_list_button_add", run: "click" },
        { content: "Name it", trigger: ".o_field_widget[name='name'] input", run: "edit Tour Shop" },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { content: "Saved: Sync now appears", trigger: "button[name='action_sync_now']" },
        { content: "Test connection", trigger: "button[name='action_test_connection']", run: "click" },
        { content: "It says it works", trigger: ".o_form_view .alert-success" },
        { content: "Set up from store", trigger: "button[name='action_setup_from_store']", run: "click" },
        { content: "The store's tax rates are there", trigger: ".o_field_widget[name='wc_tax_link_ids'] .o_data_row" },
        { content: "Sync now", trigger: "button[name='action_sync_now']", run: "click" },
        { content: "The run's progress shows", trigger: ".o_form_view .alert-info:contains(Sync running)" },
        { content: "Messages tab", trigger: "a.nav-link:contains(Messages)", run: "click" },
        {
            content: "Edit the 'Order received' step",
            trigger: ".o_field_widget[name='wc_message_step_ids'] .o_data_row:contains(Order received) .o_data_cell[name='template_id']",
            run: "click",
        },
        {
            content: "The store does not e-mail it: Odoo sends it",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name='store_sends'] input:checked",
            run: "click",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_view .o_form_saved" },
        {
            content: "Preview it",
            trigger: ".o_data_row:contains(Order received) button[name='action_preview']",
            run: "click",
        },
        { content: "The message shows", trigger: ".modal:contains(We have received your order)" },
        { content: "Close", trigger: ".modal .btn-close", run: "click" },
        { content: "Back on the store", trigger: "body:not(:has(.modal))" },
    ],
});

// Open the sync log, open the failed entry and Retry it (its cause was fixed): it is done.
tours.add("wc_sync_log_retry_tour", {
    steps: () => [
        { content: "The failed entry", trigger: ".o_data_row:contains(unknown product SKU) .o_data_cell[name='reason']", run: "click" },
        { content: "Retry", trigger: ".o_form_view button[name='action_retry']", run: "click" },
        { content: "It is done", trigger: ".o_statusbar_status button[aria-checked='true']:contains(Done)" },
    ],
});

// Open a store order's Online shop tab: the store's order number and the messages its customer had.
tours.add("wc_sale_order_online_shop_tour", {
    steps: () => [
        { content: "Online shop tab", trigger: "a.nav-link:contains(Online shop)", run: "click" },
        { content: "The store's order number", trigger: ".o_field_widget[name='wc_order_number'] input:value(79)" },
        { content: "The messages to the customer", trigger: ".o_field_widget[name='wc_message_sent_ids'] .o_data_row:contains(Order invoiced)" },
    ],
});
