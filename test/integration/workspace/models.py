from dataflow import DataFlow

db = DataFlow("postgresql://app@localhost:5432/shop", pool_size=5)


@db.model
class Product:
    name: str
    category: str
    price: float = 0.0


@db.model
class Customer:
    email: str
    name: str


@db.model
class Review:
    product_id: int
    stars: int
    __indexes__ = [{"name": "idx_reviews_product", "fields": ["product_id"]}]
