"""OCTO's errors: ``{"error": CODE, "errorMessage": text, ...}`` with the id
that was wrong (``productId``, ``optionId``, ``unitId``, ``availabilityId``,
``uuid``). 400 for every input error and refused action, 401 without a valid
key, 403 for a key that may not act, as docs.octo.travel lists them."""


class OctoError(Exception):
    status_code = 400

    def __init__(self, error: str, message: str, status: int | None = None, **fields):
        super().__init__(message)
        self.error = error
        self.message = str(message)
        self.fields = fields
        if status is not None:
            self.status_code = status

    def body(self) -> dict:
        return {"error": self.error, "errorMessage": self.message, **self.fields}


def invalid_product(product_id) -> OctoError:
    return OctoError(
        "INVALID_PRODUCT_ID", "There is no product with this id.", productId=str(product_id)
    )


def invalid_option(option_id) -> OctoError:
    return OctoError(
        "INVALID_OPTION_ID", "This product has no option with this id.", optionId=str(option_id)
    )


def invalid_unit(unit_id) -> OctoError:
    return OctoError(
        "INVALID_UNIT_ID", "This availability has no fare for this unit.", unitId=str(unit_id)
    )


def invalid_availability(availability_id) -> OctoError:
    return OctoError(
        "INVALID_AVAILABILITY_ID",
        "This product has no departure at this time.",
        availabilityId=str(availability_id),
    )


def invalid_booking(uuid) -> OctoError:
    return OctoError("INVALID_BOOKING_UUID", "You have no booking with this UUID.", uuid=str(uuid))


def bad_request(message: str) -> OctoError:
    return OctoError("BAD_REQUEST", message)


def unprocessable(message: str) -> OctoError:
    return OctoError("UNPROCESSABLE_ENTITY", message)
