/** @odoo-module **/
// A user reading Persian, and one reading Russian, open a store order of a Persian / Russian customer:
// the form speaks their language and the customer's names and address are shown as the store wrote them
// (run by tests/test_shown_in_persian_and_russian.py in headless Chromium).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** The steps that check one order's customer, as the store wrote them, and its Online shop tab in `tab`. */
function customerOrderSteps({ person, company, street, city, tab, number }) {
    return () => [
        // A confirmed order shows its customer as a link with the address below it.
        { content: "The customer's name", trigger: `.o_field_widget[name='partner_id']:contains(${person})` },
        { content: "The company's name", trigger: `.o_field_widget[name='partner_id']:contains(${company})` },
        { content: "The customer's address", trigger: `.o_field_widget[name='partner_id']:contains(${street})` },
        { content: "The Online shop tab, in the reader's language", trigger: `a.nav-link:contains(${tab})`, run: "click" },
        { content: "The store's order number", trigger: `.o_field_widget[name='wc_order_number'] input:value(${number})` },
        { content: "The address as the store wrote it", trigger: `.o_field_widget[name='wc_address'] textarea:value(${street})` },
        { content: "The city", trigger: `.o_field_widget[name='wc_address'] textarea:value(${city})` },
    ];
}

tours.add("wc_sale_order_persian_tour", {
    steps: customerOrderSteps({
        person: "مریم کریمی", company: "شرکت پارس تجارت", street: "بلوار کشاورز، شماره ۴۵", city: "تهران",
        tab: "فروشگاه اینترنتی", number: "82",
    }),
});

tours.add("wc_sale_order_russian_tour", {
    steps: customerOrderSteps({
        person: "Мария Иванова", company: "ООО «Север»", street: "Невский проспект, д. 28", city: "Санкт-Петербург",
        tab: "Интернет-магазин", number: "65",
    }),
});
