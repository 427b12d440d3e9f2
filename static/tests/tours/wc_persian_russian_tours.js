/** @odoo-module **/
// A user reading Persian, and one reading Russian, open a store order of a Persian / Russian customer:
// the form speaks their language and the customer's names and address are shown as the store wrote them
// (run by tests/test_shown_in_persian_and_russian.py in headless Chromium).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("wc_sale_order_persian_tour", {
    steps: () => [
        // A confirmed order shows its customer as a link with the address below it.
        { content: "The customer's name", trigger: ".o_field_widget[name='partner_id']:contains(مریم کریمی)" },
        { content: "The company's name", trigger: ".o_field_widget[name='partner_id']:contains(شرکت پارس تجارت)" },
        { content: "The customer's address", trigger: ".o_field_widget[name='partner_id']:contains(بلوار کشاورز، شماره ۴۵)" },
        { content: "The Online shop tab, in Persian", trigger: "a.nav-link:contains(فروشگاه اینترنتی)", run: "click" },
        { content: "The store's order number", trigger: ".o_field_widget[name='wc_order_number'] input:value(82)" },
        {
            content: "The address as the store wrote it",
            trigger: ".o_field_widget[name='wc_address'] textarea:value(بلوار کشاورز، شماره ۴۵)",
        },
        { content: "The city", trigger: ".o_field_widget[name='wc_address'] textarea:value(تهران)" },
    ],
});

tours.add("wc_sale_order_russian_tour", {
    steps: () => [
        { content: "The customer's name", trigger: ".o_field_widget[name='partner_id']:contains(Мария Иванова)" },
        { content: "The company's name", trigger: ".o_field_widget[name='partner_id']:contains(ООО «Север»)" },
        { content: "The customer's address", trigger: ".o_field_widget[name='partner_id']:contains(Невский проспект, д. 28)" },
        { content: "The Online shop tab, in Russian", trigger: "a.nav-link:contains(Интернет-магазин)", run: "click" },
        { content: "The store's order number", trigger: ".o_field_widget[name='wc_order_number'] input:value(65)" },
        {
            content: "The address as the store wrote it",
            trigger: ".o_field_widget[name='wc_address'] textarea:value(Невский проспект, д. 28)",
        },
        { content: "The city", trigger: ".o_field_widget[name='wc_address'] textarea:value(Санкт-Петербург)" },
    ],
});
