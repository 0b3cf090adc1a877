"""Shop job: cancel and refund open orders nobody took by their deadline, and accept
deliveries their brand left unanswered for 14 days. Idempotent."""

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tolpa.marketplace.shop import orders
from tolpa.marketplace.shop.models import Order, OrderStatus


@shared_task(name="shop.finish_due_orders")
def finish_due_orders() -> int:
    now = timezone.now()
    due = Order.objects.filter(
        Q(status=OrderStatus.OPEN, deadline__lte=now)
        | Q(status=OrderStatus.DELIVERED, delivered_at__lte=now - orders.AUTO_ACCEPT_AFTER)
    ).values_list("pk", flat=True)
    changed = 0
    for order_id in due:
        with transaction.atomic():
            changed += orders.order_finish(order_id=order_id, now=now)
    return changed
