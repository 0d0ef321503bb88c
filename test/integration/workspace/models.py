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
