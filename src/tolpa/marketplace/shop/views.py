"""Content exchange pages. Reads go through selectors (which decide who sees a text's body),
writes through services inside a transaction; a service error lands on its form or in a
message, a permission or visibility failure becomes a 403/404 page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tolpa.marketplace.shop import orders, selectors, services, uniqueness
from tolpa.marketplace.shop.forms import (
    ChangesForm,
    DeliverForm,
    OrderForm,
    PriceForm,
    TextForm,
)
from tolpa.marketplace.shop.models import Category, Language, OrderStatus, TextStatus
from tolpa.web.service_errors import run_form_action

PAGE_SIZE = 20


def _list_context(request, queryset) -> dict:
    filters = selectors.Filters.from_params(request.GET)
    page = Paginator(queryset(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"filters": filters, "page": page, "categories": Category.choices,
            "text_languages": Language.choices}  # fmt: skip


def index(request):
    """Texts on sale, with search and filters; HTMX swaps the results only."""
    context = _list_context(request, selectors.text_list_shop)
    template = "shop/_texts.html" if request.htmx else "shop/index.html"
    return render(request, template, context)


@login_required
def publish(request):
    form = TextForm(request.POST or None)
    status = 200
    if request.method == "POST":
        result = {}

        def call(data):
            result["text"] = services.text_publish(actor=request.user, **data)

        status = run_form_action(request, form, call)
        if status is None:
            text = result["text"]
            if text.status == TextStatus.HELD:
                messages.warning(request, _("Your text is %(u)s%% unique: it is too similar to "
                                            "a shop text and waits for a moderator.")
                                 % {"u": text.uniqueness})  # fmt: skip
            else:
                messages.success(request, _("Your text is on sale (%(u)s%% unique).")
                                 % {"u": text.uniqueness})  # fmt: skip
            return redirect(text)
    return render(request, "shop/publish.html", {"form": form}, status=status)


def text_detail(request, text_id: int):
    text = selectors.text_access(actor=request.user, text_id=text_id)
    can_read = selectors.body_visible(actor=request.user, text=text)
    rights = getattr(text, "rights", None) if can_read else None
    return render(request, "shop/text.html", {
        "text": text, "can_read": can_read, "rights": rights,
        "is_author": request.user.is_authenticated and text.author_id == request.user.pk,
        "fee": services.fee_of(text.price),
    })  # fmt: skip


@login_required
def download(request, text_id: int):
    """The full text as a Markdown file, for those who may read it."""
    text = selectors.text_access(actor=request.user, text_id=text_id)
    if not selectors.body_visible(actor=request.user, text=text):
        raise Http404
    response = HttpResponse(text.body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="text-{text.pk}.md"'
    return response


@login_required
@require_POST
def buy(request, text_id: int):
    selectors.text_access(actor=request.user, text_id=text_id)
    result = {}

    shown = request.POST.get("price", "")

    def call(_data):
        result["purchase"] = services.purchase_create(
            actor=request.user, text_id=text_id,
            expected_price=int(shown) if shown.isdigit() else None,
        )  # fmt: skip

    try:
        status = run_form_action(request, None, call)
    except services.OwnTextError as exc:  # a refusal to explain on the page, not a 403 page
        messages.error(request, exc.message)
        return redirect("shop:text", text_id=text_id)
    if status is None:
        messages.success(request, _("Bought. The text and its rights are yours."))
        return redirect("shop:rights", code=result["purchase"].rights.code)
    return redirect("shop:text", text_id=text_id)


@login_required
@require_POST
def reprice(request, text_id: int):
    text = selectors.text_access(actor=request.user, text_id=text_id)
    form = PriceForm({"currency": text.currency, "price": request.POST.get("price", "")})
    if run_form_action(request, form, lambda d: services.text_reprice(
            actor=request.user, text_id=text_id, price=d["price"])) is None:  # fmt: skip
        messages.success(request, _("The price is changed."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("shop:text", text_id=text_id)


@login_required
@require_POST
def withdraw(request, text_id: int):
    selectors.text_access(actor=request.user, text_id=text_id)
    if (
        run_form_action(
            request, None, lambda _d: services.text_withdraw(actor=request.user, text_id=text_id)
        )
        is None
    ):
        messages.success(request, _("The text left the shop."))
    return redirect("shop:text", text_id=text_id)


@login_required
def dashboard(request):
    """The author's texts, sales and earnings, plus orders taken and the brands' orders."""
    texts = list(selectors.texts_of_author(actor=request.user))
    return render(request, "shop/dashboard.html", {
        "texts": texts,
        "for_sale": sum(t.status == TextStatus.LISTED for t in texts),
        "held": sum(t.status == TextStatus.HELD for t in texts),
        "sold": sum(t.status == TextStatus.SOLD for t in texts),
        "earnings": selectors.author_earnings(actor=request.user),
        "orders_taken": selectors.orders_taken(actor=request.user)[:100],
        "brand_orders": selectors.orders_of_brands(actor=request.user)[:100],
    })  # fmt: skip


@login_required
def purchases(request):
    return render(request, "shop/purchases.html", {
        "purchases": selectors.purchases_of(actor=request.user)[:200],
        "rights": selectors.rights_of(actor=request.user)[:200],
    })  # fmt: skip


@login_required
def rights(request, code):
    record = selectors.rights_access(actor=request.user, code=code)
    return render(request, "shop/rights.html", {"rights": record, "text": record.text})


@login_required
def moderation(request):
    queue = selectors.moderation_queue(actor=request.user)
    status = 200
    if request.method == "POST":
        approve = request.POST.get("action") == "approve"
        text_id = request.POST.get("text", "")
        status = run_form_action(request, None, lambda _d: services.text_moderate(
            actor=request.user, text_id=int(text_id) if text_id.isdigit() else 0,
            approve=approve, reason=request.POST.get("reason", "")))  # fmt: skip
        if status is None:
            messages.success(request, _("Approved.") if approve else _("Rejected."))
            return redirect("shop:moderation")
    return render(request, "shop/moderation.html", {
        "queue": queue, "hold": round(100 * (1 - uniqueness.HOLD_SIMILARITY)),
    }, status=status)  # fmt: skip


# Orders ------------------------------------------------------------------------------------------


def order_list(request):
    context = _list_context(request, selectors.orders_open)
    template = "shop/_orders.html" if request.htmx else "shop/orders.html"
    return render(request, template, context)


@login_required
def order_create(request):
    organization = request.active_organization or None
    if organization is None:
        messages.info(request, _("Create a brand first to order texts."))
        return redirect("accounts:organization_create")
    form = OrderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        result = {}

        def call(data):
            result["order"] = orders.order_create(
                actor=request.user, organization=organization, **data
            )

        status = run_form_action(request, form, call)
        if status is None:
            messages.success(request, _("Order posted; its price is held in escrow."))
            return redirect(result["order"])
    return render(request, "shop/order_create.html", {
        "form": form, "organization": organization}, status=status)  # fmt: skip


def _order_action(request, order):
    """Run the posted action; returns (status or None, bound form to show again)."""
    action, actor = request.POST.get("action"), request.user
    simple = {"take": orders.order_take, "accept": orders.order_accept,
              "cancel": orders.order_cancel}  # fmt: skip
    if action in simple:
        function = simple[action]
        return run_form_action(
            request, None, lambda _d: function(actor=actor, order_id=order.pk)
        ), None
    if action == "deliver":
        form = DeliverForm(request.POST)
        return run_form_action(request, form, lambda d: orders.order_deliver(
            actor=actor, order_id=order.pk, **d)), form  # fmt: skip
    if action == "changes":
        form = ChangesForm(request.POST)
        return run_form_action(request, form, lambda d: orders.order_request_changes(
            actor=actor, order_id=order.pk, **d)), form  # fmt: skip
    return 400, None


def order_detail(request, order_id: int):
    order = selectors.order_access(actor=request.user, order_id=order_id)
    deliver_form, changes_form, status = DeliverForm(), ChangesForm(), 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status, bound = _order_action(request, order)
        if status is None:
            messages.success(request, _("Saved."))
            return redirect(order)
        if isinstance(bound, DeliverForm):
            deliver_form = bound
        elif isinstance(bound, ChangesForm):
            changes_form = bound
        order = selectors.order_access(actor=request.user, order_id=order_id)
    user = request.user
    is_member = orders.is_member(user, order)
    is_author = user.is_authenticated and order.author_id == user.pk
    text = order.text
    return render(request, "shop/order.html", {
        "order": order, "is_member": is_member, "is_author": is_author,
        "text": text if text and selectors.body_visible(actor=user, text=text) else None,
        "rights": getattr(order, "rights", None) if is_member or is_author else None,
        "can_take": order.status == OrderStatus.OPEN and not is_member,
        "can_deliver": is_author and order.status in (OrderStatus.TAKEN, OrderStatus.CHANGES),
        "can_review": is_member and order.status == OrderStatus.DELIVERED,
        "can_cancel": is_member and orders.cancel_problem(order) is None,
        "deliver_form": deliver_form, "changes_form": changes_form,
        "fee": services.fee_of(order.price),
    }, status=status or 200)  # fmt: skip
